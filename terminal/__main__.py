from terminal.commands.entry import main

raise SystemExit(main(logs=True))
