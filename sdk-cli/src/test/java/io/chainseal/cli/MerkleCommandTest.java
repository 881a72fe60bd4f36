package io.chainseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MerkleCommandTest {
  /** RFC 6962's reference leaves. */
  private static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        java.util.Map.of()).run(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String[] with(String... head) {
    String[] args = new String[head.length + LEAVES.length];
    System.arraycopy(head, 0, args, 0, head.length);
    System.arraycopy(LEAVES, 0, args, head.length, LEAVES.length);
    return args;
  }

  @Test
  void rootPrintsTheRfcRootOnOneLine() {
    Run r = run(with("merkle", "root"));
    assertEquals(0, r.code(), r.err());
    assertEquals("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328" + System.lineSeparator(), r.out());
    assertEquals("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", run("merkle", "root", "").out().trim());
  }

  @Test
  void inclusionPrintsTheExactJson() {
    Run r = run(with("merkle", "inclusion", "--index", "5"));
    assertEquals(0, r.code(), r.err());
    assertEquals("{\"root\":\"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328\",\"index\":5,\"size\":8,\"path\":["
        + "\"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b\","
        + "\"ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0\","
        + "\"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7\"]}", r.out().trim());
    assertEquals("{\"root\":\"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d\",\"index\":0,\"size\":1,\"path\":[]}",
        run("merkle", "inclusion", "--index", "0", "").out().trim());
  }

  @Test
  void consistencyPrintsTheExactJson() {
    Run r = run(with("merkle", "consistency", "--from", "6"));
    assertEquals(0, r.code(), r.err());
    assertEquals("{\"oldRoot\":\"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef\","
        + "\"newRoot\":\"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328\",\"from\":6,\"size\":8,\"path\":["
        + "\"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a\","
        + "\"ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0\","
        + "\"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7\"]}", r.out().trim());
  }

  @Test
  void badArgumentsGiveOneLineOnStderrAndExitTwo() {
    String[][] bad = {
        {"merkle"}, {"merkle", "root"}, {"merkle", "root", "zz"}, {"merkle", "root", "abc"},
        {"merkle", "inclusion", "00"}, {"merkle", "inclusion", "--index", "x", "00"},
        {"merkle", "inclusion", "--index", "-1", "00"}, {"merkle", "inclusion", "--index", "1", "00"},
        {"merkle", "inclusion", "--index"}, {"merkle", "consistency", "--from", "0", "00"},
        {"merkle", "consistency", "--from", "3", "00", "01"}, {"merkle", "root", "--index", "1", "00"},
        {"merkle", "frobnicate"}, {"nonsense"}, {"merkle", "inclusion", "--index", "99999999999999999999", "00"}};
    for (String[] args : bad) {
      Run r = run(args);
      assertEquals(2, r.code(), String.join(" ", args));
      assertEquals("", r.out(), String.join(" ", args));
      assertTrue(r.err().startsWith("chainseal: "), r.err());
      assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
      assertFalse(r.err().contains("Exception"), r.err());
    }
  }
}
