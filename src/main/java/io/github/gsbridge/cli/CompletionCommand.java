package io.github.gsbridge.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code gsbridge completion}: bash completion made from the same declarations as the help. */
@Command(name = "completion", description = "Prints a bash completion script for gsbridge (install.sh installs it).")
final class CompletionCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("gsbridge", spec.parent().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
