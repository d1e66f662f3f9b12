"""The command line: argument parsing, the commands, exit codes, the output writer."""
