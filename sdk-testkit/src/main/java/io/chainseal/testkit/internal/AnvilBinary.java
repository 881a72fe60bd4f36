package io.chainseal.testkit.internal;

import io.chainseal.testkit.LocalChainException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the Anvil executable, in this order: the system property {@value #PROPERTY}, the
 * environment variable {@value #ENV}, the {@code PATH}, then an npm install of
 * {@code @foundry-rs/anvil} in the working directory or any folder above it (or above the folder
 * named by the system property {@code chainseal.root}).
 *
 * <p>The npm package's {@code bin} entry is a Node wrapper; we run the platform package's real
 * binary instead, so that stopping the node never leaves a child process behind.
 */
public final class AnvilBinary {
  public static final String PROPERTY = "chainseal.anvil";
  public static final String ENV = "CHAINSEAL_ANVIL";
  static final String INSTALL_HINT =
      "Install it with `npm install` at the Chainseal repository root (package.json pins @foundry-rs/anvil), "
          + "or `npm install --save-dev @foundry-rs/anvil@1.7.1` in your project, "
          + "or point -D" + PROPERTY + "=/path/to/anvil (or $" + ENV + ") at an anvil binary.";

  private final Function<String, String> properties;
  private final Map<String, String> environment;

  public AnvilBinary(Function<String, String> properties, Map<String, String> environment) {
    this.properties = properties;
    this.environment = environment;
  }

  /** A locator over this JVM's system properties and environment. */
  public static AnvilBinary fromSystem() {
    return new AnvilBinary(System::getProperty, System.getenv());
  }

  /**
   * Returns the path of a runnable Anvil binary.
   *
   * @throws LocalChainException naming every place tried and how to install Anvil, if none is found
   */
  public Path locate() {
    List<String> tried = new ArrayList<>();
    String explicit = properties.apply(PROPERTY);
    if (explicit != null && !explicit.isBlank()) {
      Path path = Path.of(explicit);
      if (Files.isExecutable(path)) {
        return path;
      }
      throw new LocalChainException(
          "System property " + PROPERTY + " names " + path + ", which is not an executable file. " + INSTALL_HINT);
    }
    tried.add("system property " + PROPERTY + " (unset)");
    String fromEnv = environment.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      Path path = Path.of(fromEnv);
      if (Files.isExecutable(path)) {
        return path;
      }
      throw new LocalChainException(
          "Environment variable " + ENV + " names " + path + ", which is not an executable file. " + INSTALL_HINT);
    }
    tried.add("environment variable " + ENV + " (unset)");

    String pathVariable = environment.getOrDefault("PATH", "");
    for (String dir : pathVariable.split(File.pathSeparator, -1)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, executableName());
      if (Files.isExecutable(candidate) && !isNodeWrapper(candidate)) {
        return candidate;
      }
    }
    tried.add("PATH");

    Optional<String> platformPackage = platformPackage();
    if (platformPackage.isEmpty()) {
      throw new LocalChainException("Anvil's npm package has no binary for "
          + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ". " + INSTALL_HINT);
    }
    for (Path start : startFolders()) {
      for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
        Path candidate = dir.resolve("node_modules").resolve(platformPackage.get())
            .resolve("bin").resolve(executableName());
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
      tried.add("node_modules/" + platformPackage.get() + " in " + start.toAbsolutePath() + " and the folders above it");
    }
    throw new LocalChainException("Anvil not found. Tried: " + String.join("; ", tried) + ". " + INSTALL_HINT);
  }

  private List<Path> startFolders() {
    List<Path> folders = new ArrayList<>();
    String root = properties.apply("chainseal.root");
    if (root != null && !root.isBlank()) {
      folders.add(Path.of(root));
    }
    String workingDir = properties.apply("user.dir");
    if (workingDir != null) {
      folders.add(Path.of(workingDir));
    }
    return folders;
  }

  private static boolean isNodeWrapper(Path candidate) {
    // node_modules/.bin/anvil links to a JavaScript launcher; running it would leave the real node
    // as a grandchild that Process.destroy() cannot reach.
    try {
      Path real = candidate.toRealPath();
      return real.getFileName().toString().endsWith(".mjs") || real.getFileName().toString().endsWith(".js");
    } catch (java.io.IOException e) {
      return true;
    }
  }

  private String executableName() {
    return osName().startsWith("windows") ? "anvil.exe" : "anvil";
  }

  private String osName() {
    String os = properties.apply("os.name");
    return os == null ? "" : os.toLowerCase(Locale.ROOT);
  }

  Optional<String> platformPackage() {
    String os = osName();
    String arch = String.valueOf(properties.apply("os.arch")).toLowerCase(Locale.ROOT);
    String npmOs = os.startsWith("linux") ? "linux"
        : os.startsWith("mac") || os.startsWith("darwin") ? "darwin"
        : os.startsWith("windows") ? "win32" : null;
    String npmArch = arch.equals("amd64") || arch.equals("x86_64") ? "amd64"
        : arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : null;
    if (npmOs == null || npmArch == null) {
      return Optional.empty();
    }
    return Optional.of("@foundry-rs/anvil-" + npmOs + "-" + npmArch);
  }
}
