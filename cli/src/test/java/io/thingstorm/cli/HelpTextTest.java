package io.thingstorm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help reads as sentences. picocli prints each description element as a line of its
 * own and lists a subcommand by its first element, so an element that stops mid-sentence shows as a
 * fragment in {@code thingstorm --help}.
 */
class HelpTextTest {
  @Test
  void everyDescriptionLineIsAWholeSentence() {
    for (CommandLine command : allCommands()) {
      String[] description = command.getCommandSpec().usageMessage().description();
      assertThat(description).as("%s has a description", command.getCommandSpec().qualifiedName()).isNotEmpty();
      for (String line : description) {
        assertThat(line.strip())
            .as("a line of '%s --help'", command.getCommandSpec().qualifiedName())
            .endsWith(".");
      }
    }
  }

  @Test
  void theTopLevelListNamesEachCommandInOneWholeSentence() {
    CliRun help = CliRun.of("--help");

    assertThat(help.exitCode()).isZero();
    List<String> entries = commandListEntries(help.out());
    assertThat(entries).anyMatch(entry -> entry.startsWith("run ") && entry.contains("Run a load test scenario"));
    assertThat(entries).hasSize(ThingstormCommand.commandLine().getSubcommands().size());
    assertThat(entries).allMatch(entry -> entry.endsWith("."), "ends with a full stop");
  }

  @Test
  void everyCommandPrintsItsUsage() {
    for (CommandLine command : allCommands()) {
      String name = command.getCommandSpec().qualifiedName(); // "thingstorm certs ca"
      String[] words = name.split(" ");
      List<String> args = new ArrayList<>(List.of(words).subList(1, words.length));
      args.add("--help");

      CliRun help = CliRun.of(args.toArray(String[]::new));

      assertThat(help.exitCode()).as(name + " --help").isZero();
      assertThat(help.out()).as(name + " --help").startsWith("Usage: " + name);
    }
  }

  /** The entries under "Commands:", each with the lines picocli wrapped it onto joined again. */
  private static List<String> commandListEntries(String help) {
    List<String> entries = new ArrayList<>();
    boolean inList = false;
    for (String line : help.lines().toList()) {
      if (line.equals("Commands:")) {
        inList = true;
      } else if (inList && line.matches("  \\S.*")) {
        entries.add(line.strip());
      } else if (inList && line.startsWith("   ") && !entries.isEmpty()) {
        entries.set(entries.size() - 1, entries.getLast() + " " + line.strip());
      }
    }
    return entries;
  }

  private static List<CommandLine> allCommands() {
    List<CommandLine> all = new ArrayList<>();
    collect(ThingstormCommand.commandLine(), all);
    return all;
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    if (command.getCommandName().equals("help")) return; // picocli's own
    into.add(command);
    command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
  }
}
