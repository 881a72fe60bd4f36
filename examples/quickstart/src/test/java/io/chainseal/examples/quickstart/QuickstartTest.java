package io.chainseal.examples.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.testkit.LocalChain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as a new user runs it: it reaches its summary with exit code 0, and `chainseal verify` on a
 * file it wrote says VERIFIED while the same file edited by one byte does not.
 */
@Tag("slow")
class QuickstartTest {
  @Test
  void demoReachesItsSummaryAndItsFilesVerifyWithTheCli(@TempDir Path out) throws Exception {
    try (LocalChain chain = LocalChain.builder().blockTime(Duration.ofSeconds(1)).start()) {
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      int code = Quickstart.run(chain, out, new PrintStream(printed, true, StandardCharsets.UTF_8));
      String text = printed.toString(StandardCharsets.UTF_8);
      assertEquals(0, code, text);
      assertTrue(text.contains("Quickstart finished: every message verified"), text);
      assertTrue(text.contains("TAMPERED"), text);
      assertTrue(Files.exists(out.resolve("m-01.message.json")));
      assertFalse(Files.exists(out.resolve("m-11.message.json")), "the erased message's file is gone");
      assertTrue(Files.exists(out.resolve("m-11.proof.json")));

      String trust = out.resolve("trust.json").toString();
      Cli verified = cli("verify", "--trust-file", trust, "--message", out.resolve("m-01.message.json").toString(),
          "--proof", out.resolve("m-01.proof.json").toString());
      assertEquals(0, verified.code(), verified.out() + verified.err());
      assertTrue(verified.out().startsWith("VERIFIED"), verified.out());

      byte[] bytes = Files.readAllBytes(out.resolve("m-01.message.json"));
      int at = new String(bytes, StandardCharsets.UTF_8).indexOf("Saturday");
      bytes[at] = 's'; // one byte: "Saturday" becomes "saturday"
      Path edited = out.resolve("m-01.edited.json");
      Files.write(edited, bytes);
      Cli tampered = cli("verify", "--trust-file", trust, "--message", edited.toString(), "--proof",
          out.resolve("m-01.proof.json").toString());
      assertEquals(1, tampered.code(), tampered.out() + tampered.err());
      assertTrue(tampered.out().startsWith("TAMPERED"), tampered.out());

      Cli erased = cli("verify", "--trust-file", trust, "--erased", "--proof", out.resolve("m-11.proof.json").toString());
      assertEquals(0, erased.code(), erased.out() + erased.err());
      String erasedProof = Files.readString(out.resolve("m-11.proof.json"));
      assertFalse(erasedProof.contains("\"signature\""), "the erased message's proof no longer names its sender");

      Cli untrusted = cli("verify", "--message", out.resolve("m-01.message.json").toString(), "--proof",
          out.resolve("m-01.proof.json").toString(), "--rpc", chain.rpcUrl(), "--trust-file", "/nonexistent/trust.json");
      assertEquals(2, untrusted.code(), untrusted.out() + untrusted.err());
    }
  }

  record Cli(int code, String out, String err) {}

  /** Runs the chainseal command in-process, as bin/chainseal would. */
  static Cli cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = io.chainseal.cli.Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
