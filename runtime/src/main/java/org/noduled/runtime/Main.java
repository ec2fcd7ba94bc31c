package org.noduled.runtime;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code noduled} launcher: one subcommand per job, each with its own {@code --help}. */
@Command(name = "noduled",
        mixinStandardHelpOptions = true,
        version = "noduled 0.1.0 (reference model trained on synthetic phantoms, not for clinical use)",
        description = "Edge inference runtime for lung CT nodule detection.",
        subcommands = {CommandLine.HelpCommand.class, PhantomCommand.class, InspectCommand.class,
                DetectCommand.class, ServeCommand.class, EchoCommand.class, BenchCommand.class})
public final class Main implements Runnable {

    /** Exit status for any failure reported as a one-line reason. */
    static final int EXIT_FAILURE = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests drive it directly to read exit codes and output. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new Main());
        line.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("noduled " + command.getCommandName() + ": " + FailureReason.of(e));
            return EXIT_FAILURE;
        });
        line.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("noduled: " + e.getMessage()
                    + " (try: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return EXIT_FAILURE;
        });
        return line;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
