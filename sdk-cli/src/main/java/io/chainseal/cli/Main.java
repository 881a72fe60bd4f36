package io.chainseal.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code chainseal} command. Exit codes: 0 success, 1 a negative verdict, 2 bad usage or
 * unreadable input. Errors are one line on stderr, never a stack trace.
 */
public final class Main {
  static final int OK = 0;
  static final int NEGATIVE = 1;
  static final int USAGE = 2;

  private final PrintStream out;
  private final PrintStream err;

  Main(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new Main(System.out, System.err).run(args));
  }

  /**
   * Runs one {@code chainseal} command with the given streams and returns its exit code, without
   * exiting the JVM: for embedding the command line in other tools and tests.
   */
  public static int execute(PrintStream out, PrintStream err, String... args) {
    return new Main(out, err).run(args);
  }

  /** Runs one command and returns its exit code; never throws. */
  int run(String... args) {
    List<String> arguments = Arrays.asList(args);
    if (arguments.isEmpty() || arguments.get(0).equals("help") || arguments.get(0).equals("--help")) {
      out.print(usage());
      return arguments.isEmpty() ? USAGE : OK;
    }
    try {
      switch (arguments.get(0)) {
        case "version":
        case "--version":
          out.println("chainseal " + version());
          return OK;
        case "merkle":
          return MerkleCommand.run(arguments.subList(1, arguments.size()), out);
        case "verify":
          return VerifyCommand.run(arguments.subList(1, arguments.size()), out);
        case "anchor-status":
          return AnchorStatusCommand.run(arguments.subList(1, arguments.size()), out);
        default:
          throw new UsageException("unknown command '" + arguments.get(0) + "' (try 'chainseal help')");
      }
    } catch (UsageException e) {
      err.println("chainseal: " + e.getMessage());
      return USAGE;
    } catch (io.chainseal.anchor.ChainException e) {
      err.println("chainseal: " + e.getMessage());
      return NEGATIVE;
    } catch (RuntimeException e) {
      err.println("chainseal: internal error: " + e);
      return USAGE;
    }
  }

  static String version() {
    String version = Main.class.getPackage().getImplementationVersion();
    return version != null ? version : "development build";
  }

  static String usage() {
    return String.join(System.lineSeparator(),
        "usage: chainseal COMMAND [ARGS]",
        "",
        "commands:",
        VerifyCommand.USAGE,
        MerkleCommand.USAGE,
        "  version                                print the version",
        "  help                                   print this text",
        "",
        "Exit codes: 0 success, 1 a negative verdict, 2 bad usage or unreadable input.",
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
