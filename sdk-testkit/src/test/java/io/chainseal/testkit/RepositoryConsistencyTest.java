package io.chainseal.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Checks that hold for the repository as a whole: committed contract artifacts and the BOM. */
@Tag("slow")
class RepositoryConsistencyTest {
  static Path root() {
    String root = System.getProperty("chainseal.root");
    Path path = root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    assertTrue(Files.exists(path.resolve("package.json")), "repository root not found at " + path);
    return path;
  }

  @Test
  void committedContractArtifactsMatchTheirSolidity() throws Exception {
    Path root = root();
    assertTrue(Files.isDirectory(root.resolve("node_modules/solc")),
        "solc is not installed: run `npm install` at " + root + " (the README's test command does)");
    Process check = new ProcessBuilder("node", "scripts/compile-contracts.mjs", "--check")
        .directory(root.toFile()).redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(check.waitFor(5, TimeUnit.MINUTES), "solc did not finish");
    assertEquals(0, check.exitValue(), "contract artifacts drifted:\n" + output);
  }

  @Test
  void bomAndParentListEveryPublishedModule() throws IOException {
    Path root = root();
    TreeSet<String> modules = new TreeSet<>();
    for (String module : List.of("sdk-core", "sdk-chain", "sdk-anchor", "sdk-wallet", "sdk-governance", "sdk-store", "sdk-host", "sdk-testkit", "sdk-testing", "sdk-cli")) {
      String pom = Files.readString(root.resolve(module).resolve("pom.xml"));
      modules.add(firstArtifactId(pom.substring(pom.indexOf("</parent>"))));
    }
    String bom = Files.readString(root.resolve("sdk-bom/pom.xml"));
    TreeSet<String> inBom = new TreeSet<>(artifactIds(bom.substring(bom.indexOf("<dependencyManagement>"))));
    inBom.removeIf(id -> !id.startsWith("chainseal-"));
    assertEquals(modules, inBom, "sdk-bom/pom.xml");
    String parent = Files.readString(root.resolve("pom.xml"));
    TreeSet<String> managedByParent = new TreeSet<>();
    for (String id : artifactIds(parent.substring(parent.indexOf("<dependencyManagement>")))) {
      if (id.startsWith("chainseal-")) {
        managedByParent.add(id);
      }
    }
    assertEquals(modules, managedByParent, "pom.xml dependencyManagement");
  }

  /** A host importing the BOM gets the third-party versions the SDK is built and tested with. */
  @Test
  void bomThirdPartyVersionsAreTheParents() throws IOException {
    Path root = root();
    String parent = Files.readString(root.resolve("pom.xml"));
    String bom = Files.readString(root.resolve("sdk-bom/pom.xml"));
    Matcher m = Pattern.compile("<([a-z0-9]+)\\.version>([^<]+)</\\1\\.version>").matcher(bom);
    int compared = 0;
    while (m.find()) {
      Matcher inParent = Pattern.compile("<" + m.group(1) + "\\.version>([^<]+)</").matcher(parent);
      assertTrue(inParent.find(), m.group(1) + ".version is not in the parent pom");
      assertEquals(inParent.group(1), m.group(2), m.group(1) + ".version in sdk-bom/pom.xml");
      compared++;
    }
    assertTrue(compared >= 8, "only " + compared + " versions in the BOM");
    assertTrue(bom.contains("<artifactId>kotlin-stdlib</artifactId>"), "the BOM pins the Kotlin library Web3j brings");
  }

  /**
   * Every public type of the SDK's public packages (not {@code .internal}) says what it is in a Javadoc
   * comment; the Javadoc build ({@code doclint} on, warnings fatal) checks the rest of the comments.
   */
  @Test
  void everyPublicTypeHasAJavadocComment() throws IOException {
    Path root = root();
    Pattern publicType = Pattern.compile("^public (?:(?:final|abstract|sealed|non-sealed|static) )*(?:class|interface|enum|record|@interface) (\\w+)",
        Pattern.MULTILINE);
    List<String> undocumented = new ArrayList<>();
    int checked = 0;
    for (String module : List.of("sdk-core", "sdk-chain", "sdk-anchor", "sdk-wallet", "sdk-governance", "sdk-store", "sdk-host", "sdk-testkit", "sdk-testing", "sdk-cli")) {
      List<Path> sources;
      try (var walk = Files.walk(root.resolve(module).resolve("src/main/java"))) {
        sources = walk.filter(p -> p.toString().endsWith(".java") && !p.toString().contains("/internal/")
            && !p.getFileName().toString().equals("package-info.java")).toList();
      }
      for (Path source : sources) {
        String text = Files.readString(source);
        Matcher type = publicType.matcher(text);
        if (!type.find()) {
          continue; // package-private
        }
        checked++;
        String before = text.substring(0, type.start()).stripTrailing();
        while (before.endsWith(")") || before.matches("(?s).*\\n@\\w+$")) { // annotations between comment and type
          int at = before.lastIndexOf("\n@");
          if (at < 0) {
            break;
          }
          before = before.substring(0, at).stripTrailing();
        }
        if (!before.endsWith("*/") || !before.substring(0, before.length() - 2).contains("/**")) {
          undocumented.add(root.relativize(source).toString());
        }
      }
    }
    assertTrue(checked > 100, "only " + checked + " public types found: the scan is broken");
    assertEquals(List.of(), undocumented, "public types without a Javadoc comment");
  }

  private static String firstArtifactId(String xml) {
    Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(xml);
    assertTrue(m.find());
    return m.group(1);
  }

  private static TreeSet<String> artifactIds(String xml) {
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(xml);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return new TreeSet<>(ids);
  }
}
