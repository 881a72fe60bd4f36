package io.chainseal.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code chainseal} command. Exit codes: 0 success, 1 a negative verdict, 2 bad usage or
 * unreadable input, 3 an internal error (a bug). Errors are one line on stderr, never a stack trace;
 * {@code --help} after any command prints that command's help.
 */
public final class Main {
  static final int OK = 0;
  static final int NEGATIVE = 1;
  static final int USAGE = 2;
  static final int INTERNAL = 3;

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> environment;
  private final InputStream in;
  private final @Nullable Console console;

  Main(PrintStream out, PrintStream err, Map<String, String> environment) {
    this(InputStream.nullInputStream(), out, err, environment, null);
  }

  Main(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment, @Nullable Console console) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.environment = environment;
    this.console = console;
  }

  public static void main(String[] args) {
    System.exit(new Main(System.in, System.out, System.err, System.getenv(), System.console()).run(args));
  }

  /**
   * Runs one {@code chainseal} command with the given streams and returns its exit code, without
   * exiting the JVM: for embedding the command line in other tools and tests.
   */
  public static int execute(PrintStream out, PrintStream err, String... args) {
    return new Main(out, err, System.getenv()).run(args);
  }

  /** As {@link #execute(PrintStream, PrintStream, String...)}, with the given environment variables. */
  public static int execute(PrintStream out, PrintStream err, Map<String, String> environment, String... args) {
    return new Main(out, err, Map.copyOf(environment)).run(args);
  }

  /** Runs one command and returns its exit code; never throws. */
  int run(String... args) {
    List<String> arguments = Arrays.asList(args);
    if (arguments.isEmpty()) {
      err.print(usage());
      return USAGE;
    }
    String command = arguments.get(0);
    List<String> rest = arguments.subList(1, arguments.size());
    if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
      out.print(rest.isEmpty() ? usage() : help(rest.get(0)));
      return OK;
    }
    boolean helpOnly = rest.size() == 1 || ((command.equals("merkle") || command.equals("keys")) && rest.size() == 2);
    if (helpOnly && isHelp(rest.get(rest.size() - 1))) {
      out.print(help(command));
      return OK;
    }
    if (rest.stream().anyMatch(Main::isHelp)) {
      // Never let a help flag among other arguments (perhaps a file name) look like success.
      err.println("chainseal: --help goes alone: run 'chainseal " + MerkleCommand.abbreviate(command) + " --help'");
      return USAGE;
    }
    try {
      return switch (command) {
        case "version", "--version" -> printVersion(rest, out);
        case "merkle" -> MerkleCommand.run(rest, out);
        case "verify" -> VerifyCommand.run(rest, out, environment);
        case "provenance" -> ProvenanceCommand.run(rest, out, environment);
        case "anchor-status" -> AnchorStatusCommand.run(rest, out);
        case "keys" -> KeysCommand.run(rest, in, out, err, console);
        default -> throw new UsageException("unknown command '" + MerkleCommand.abbreviate(command) + "' (try 'chainseal help')");
      };
    } catch (UsageException e) {
      err.println("chainseal: " + e.getMessage());
      return USAGE;
    } catch (io.chainseal.chain.ChainException e) {
      err.println("chainseal: " + e.getMessage());
      return NEGATIVE;
    } catch (RuntimeException e) {
      err.println("chainseal: internal error (a bug; please report it): " + e);
      return INTERNAL;
    }
  }

  private static int printVersion(List<String> rest, PrintStream out) throws UsageException {
    if (!rest.isEmpty()) {
      throw new UsageException("version takes no arguments");
    }
    out.println("chainseal " + version());
    return OK;
  }

  private static boolean isHelp(String argument) {
    return argument.equals("--help") || argument.equals("-h");
  }

  static String version() {
    String version = Main.class.getPackage().getImplementationVersion();
    return version != null ? version : "development build";
  }

  private static String help(String command) {
    return switch (command) {
      case "verify" -> VerifyCommand.HELP;
      case "provenance" -> ProvenanceCommand.HELP;
      case "merkle" -> String.join(System.lineSeparator(), "usage: chainseal merkle root|inclusion|consistency ...", "",
          MerkleCommand.USAGE, "", "Leaves are hex strings, one argument each (an empty argument is the empty leaf).",
          "Exit codes: 0 success, 2 bad usage.", "");
      case "anchor-status" -> String.join(System.lineSeparator(), "usage: chainseal anchor-status --rpc URL --tx HASH", "",
          AnchorStatusCommand.USAGE, "", "Exit codes: 0 mined and successful, 1 missing or reverted, 2 bad usage.", "");
      case "keys" -> KeysCommand.HELP;
      case "version" -> String.join(System.lineSeparator(), "usage: chainseal version", "", "Prints the version.", "");
      default -> usage();
    };
  }

  static String usage() {
    return String.join(System.lineSeparator(),
        "usage: chainseal COMMAND [ARGS]      (chainseal COMMAND --help for a command's help)",
        "",
        "commands:",
        VerifyCommand.SUMMARY,
        ProvenanceCommand.SUMMARY,
        AnchorStatusCommand.USAGE,
        MerkleCommand.USAGE,
        KeysCommand.USAGE,
        "  version                                print the version",
        "  help [COMMAND]                         print this text, or a command's help",
        "",
        "Exit codes: 0 success, 1 a negative verdict, 2 bad usage or unreadable input, 3 internal error.",
        "");
  }

  /** Bad arguments: reported as one line, exit code 2. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
