import VFIOCommands

VFIOAdm.main()
