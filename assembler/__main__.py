from assembler.cli.commands import main

main()
