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

      // Every EIP-712 signature the demo wrote, checked from its JSON alone by two other implementations:
      // Web3j's encoder (hash, then recover the signer) and Anvil's eth_signTypedData_v4 (Rust, alloy), which
      // signs the same JSON with the signer's dev key and must give the very same deterministic signature.
      assertTrue(text.contains("payment receipt, checked on chain            VERIFIED"), text);
      assertTrue(text.contains("anchored tally, recounted from the chain     VERIFIED"), text);
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      int checked = 0;
      try (var files = Files.list(out)) {
        for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".eip712.json")).sorted().toList()) {
          com.fasterxml.jackson.databind.node.ObjectNode document =
              (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(Files.readString(file));
          String signature = document.remove("signature").asText();
          String signer = document.remove("signer").asText();
          byte[] hash = new org.web3j.crypto.StructuredDataEncoder(json.writeValueAsString(document)).hashStructuredData();
          byte[] rsv = org.web3j.utils.Numeric.hexStringToByteArray(signature);
          org.web3j.crypto.Sign.SignatureData data = new org.web3j.crypto.Sign.SignatureData(rsv[64],
              java.util.Arrays.copyOfRange(rsv, 0, 32), java.util.Arrays.copyOfRange(rsv, 32, 64));
          String recovered = "0x" + org.web3j.crypto.Keys.getAddress(org.web3j.crypto.Sign.signedMessageHashToKey(hash, data));
          assertEquals(signer.toLowerCase(java.util.Locale.ROOT), recovered, file.getFileName() + ": Web3j recovers the signer");
          String anvil = chain.rpc("eth_signTypedData_v4", signer.toLowerCase(java.util.Locale.ROOT), document).asText();
          assertEquals(signature.toLowerCase(java.util.Locale.ROOT), anvil.toLowerCase(java.util.Locale.ROOT),
              file.getFileName() + ": Anvil signs the same JSON alike");
          checked++;
        }
      }
      assertEquals(6, checked, "the payment request, the last voucher, the proposal and three votes");
      assertTrue(text.contains("micropayments to the bot (20 vouchers)       SETTLED"), text);

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
