package io.chainseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.wallet.Keystore;
import io.chainseal.wallet.Mnemonic;
import io.chainseal.wallet.WalletKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCommandTest {
  private static final String ANVIL = "test test test test test test test test test test test junk\n";

  record Run(int code, String out, String err) {}

  static Run run(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), null).run(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void newPrintsAValidMnemonicOnceWithAWarning() throws Exception {
    Run r = run("", "keys", "new");
    assertEquals(0, r.code(), r.err());
    assertEquals(24, Mnemonic.parse(r.out()).size());
    assertTrue(r.err().contains("only time"), r.err());
    assertFalse(r.err().contains(r.out().trim()), "the warning does not repeat the words");
    assertEquals(12, Mnemonic.parse(run("", "keys", "new", "--words", "12").out()).size());
    assertEquals(Main.USAGE, run("", "keys", "new", "--words", "13").code());
  }

  @Test
  void deriveReadsTheMnemonicFromStdinAndPrintsTheChecksummedAddress(@TempDir Path dir) throws Exception {
    Run first = run(ANVIL, "keys", "derive", "--index", "0");
    assertEquals(0, first.code(), first.err());
    assertEquals("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", first.out().trim());
    assertEquals("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", run(ANVIL, "keys", "derive", "--index", "1").out().trim());
    Path passphrase = dir.resolve("passphrase");
    Files.writeString(passphrase, "correct horse\n");
    Run salted = run(ANVIL, "keys", "derive", "--index", "0", "--passphrase-file", passphrase.toString());
    assertEquals(0, salted.code(), salted.err());
    assertFalse(salted.out().trim().equalsIgnoreCase(first.out().trim()));
  }

  @Test
  void aBadMnemonicIsNamedWithoutEchoingIt() {
    Run r = run("test test test test test test test test test test test zzsecretzz\n", "keys", "derive", "--index", "0");
    assertEquals(Main.USAGE, r.code());
    assertTrue(r.err().contains("word 12"), r.err());
    assertFalse(r.err().contains("zzsecretzz") || r.out().contains("zzsecretzz"));
    assertEquals("chainseal: give the mnemonic on standard input" + System.lineSeparator(), run("", "keys", "derive", "--index", "0").err());
    assertTrue(run(ANVIL, "keys", "derive").err().contains("missing --index"));
    assertTrue(run(ANVIL, "keys", "derive", "--index", "-1").err().contains("--index must be at least 0"));
  }

  @Test
  void keystoreWritesAFileThatUnlocksWithThePassword(@TempDir Path dir) throws Exception {
    Path password = dir.resolve("pw");
    Files.writeString(password, "s3cret pass\n");
    Path out = dir.resolve("account2.json");
    Run r = run(ANVIL, "keys", "keystore", "--index", "2", "--out", out.toString(), "--password-file", password.toString(), "--kdf", "light");
    assertEquals(0, r.code(), r.err());
    try (WalletKey key = Keystore.load(out, "s3cret pass".toCharArray())) {
      assertEquals("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", key.address().checksummed());
      assertTrue(r.out().startsWith(key.address().checksummed()), r.out());
    }
    Run again = run(ANVIL, "keys", "keystore", "--index", "2", "--out", out.toString(), "--password-file", password.toString());
    assertEquals(Main.USAGE, again.code());
    assertTrue(again.err().contains("refusing to overwrite"), again.err());
  }

  @Test
  void keystoreWithoutATerminalOrPasswordFileSaysWhatToDo(@TempDir Path dir) {
    Run r = run(ANVIL, "keys", "keystore", "--index", "0", "--out", dir.resolve("k.json").toString());
    assertEquals(Main.USAGE, r.code());
    assertEquals("chainseal: no terminal to ask for the keystore password: give --password-file" + System.lineSeparator(), r.err());
    assertFalse(Files.exists(dir.resolve("k.json")));
  }

  @Test
  void helpListsTheSubcommands() {
    Run r = run("", "keys", "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("keys derive --index I"), r.out());
    assertEquals(Main.USAGE, run("", "keys", "rotate").code());
  }
}
