package io.chainseal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.anchor.Anchorer;
import io.chainseal.anchor.BatchPolicy;
import io.chainseal.anchor.ConversationBundle;
import io.chainseal.anchor.PendingProof;
import io.chainseal.anchor.ProvenanceVerifier;
import io.chainseal.anchor.SqliteAnchorJournal;
import io.chainseal.anchor.TrustSettings;
import io.chainseal.chain.ChainClient;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageRef;
import io.chainseal.core.Salt;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.SignatureScheme;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A conversation exported as one archive verifies in a fresh process; a tampered one is refused, naming the file. */
@WithLocalChain
@Tag("slow")
class ConversationBundleTest {
  @TempDir
  Path dir;

  @Test
  void anExportedConversationVerifiesElsewhereAndATamperedOneNamesItsFile(LocalChain local) throws Exception {
    SigningKey operator = local.account(1).signingKey();
    SigningKey storeOperator = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
    Path archive = dir.resolve("room-1.zip");
    AnchorContract contract;
    try (ChainClient chain = ChainClient.http(local.rpcUrl());
        SqliteMessageStore store = SqliteMessageStore.open(dir.resolve("store.db"),
            KeystoreKeyProvider.open(dir.resolve("kek.p12"), "pw".toCharArray()), storeOperator)) {
      contract = AnchorContract.deploy(chain, operator, false);
      List<SaltedEnvelope> written = new ArrayList<>();
      List<PendingProof> pending = new ArrayList<>();
      try (SqliteAnchorJournal journal = SqliteAnchorJournal.open(dir.resolve("anchor.db"));
          Anchorer anchorer = Anchorer.builder().chain(chain).contract(contract).publisherKey(operator).journal(journal)
              .batchPolicy(new BatchPolicy(100, Duration.ofMillis(100))).confirmations(1).build()) {
        for (int i = 0; i < 30; i++) {
          SaltedEnvelope message = new SaltedEnvelope(MessageEnvelope.builder().conversationId("room-" + (i % 2)).messageId("m-" + i)
              .senderId("user-" + (i % 3)).timestamp(Instant.ofEpochSecond(1_800_000_000L + i)).text("message " + i).build(), Salt.random());
          written.add(message);
          store.put(message);
          pending.add(anchorer.submit(message.envelope(), message.salt()));
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (int i = 0; i < written.size(); i++) {
          while (true) {
            try {
              store.putProof(new MessageRef(written.get(i).envelope().conversationId(), written.get(i).envelope().messageId()),
                  pending.get(i).proof().get(1, TimeUnit.SECONDS));
              break;
            } catch (TimeoutException e) {
              if (System.nanoTime() > deadline) {
                throw new AssertionError("not anchored within 2 minutes", e);
              }
              local.mine();
            }
          }
        }
      }
      store.erase(new MessageRef("room-1", "m-3"));
      assertEquals(15, ConversationBundle.export(store, "room-1", archive));
    }

    // A fresh process — `chainseal verify --bundle` — with only the archive and the chain.
    String[] trust = {"--rpc", local.rpcUrl(), "--chain-id", Long.toString(local.chainId()), "--contract",
        contract.address() + "@" + contract.deploymentBlock().orElse(0), "--publisher", operator.id().address().toString(),
        "--confirmations", "1"};
    Result fresh = check(archive, trust);
    assertEquals(0, fresh.exit(), fresh.output());
    assertTrue(fresh.output().contains("message    m-3 (erased)  VERIFIED"), fresh.output());
    assertTrue(fresh.output().contains("message    m-29  VERIFIED"), fresh.output());
    assertTrue(fresh.output().contains("verdict    VERIFIED"), fresh.output());

    // Tampered: one message's text changed in its file.
    Path tampered = rewrite(archive, dir.resolve("tampered.zip"), (name, bytes) -> name.equals("messages/0.json")
        ? new String(bytes, StandardCharsets.UTF_8).replace("message 1", "message 999").getBytes(StandardCharsets.UTF_8) : bytes);
    Result refused = check(tampered, trust);
    assertEquals(1, refused.exit(), refused.output());
    assertTrue(refused.output().contains("problem    messages/0.json: TAMPERED"), refused.output());
    assertTrue(refused.output().contains("verdict    NOT VERIFIED"), refused.output());

    // In-process, other breaks, each naming its file.
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      ProvenanceVerifier verifier = ProvenanceVerifier.builder(chain).trust(TrustSettings.builder().chainId(local.chainId())
          .trustContract(contract.address(), contract.deploymentBlock().orElse(0)).trustPublisher(operator.id().address())
          .confirmations(1).build()).build();
      assertTrue(ConversationBundle.verify(archive, verifier).verified());
      ConversationBundle.Report missing = ConversationBundle.verify(rewrite(archive, dir.resolve("missing.zip"),
          (name, bytes) -> name.equals("proofs/4.json") ? null : bytes), verifier);
      assertEquals(List.of(new ConversationBundle.Problem("proofs/4.json", "proof of " + new MessageRef("room-1", "m-9") + " missing")),
          missing.problems());
      ConversationBundle.Report extra = ConversationBundle.verify(rewrite(archive, dir.resolve("extra.zip"), (name, bytes) -> bytes,
          "notes.txt"), verifier);
      assertEquals("notes.txt", extra.problems().get(0).file());
      ConversationBundle.Report unreadable = ConversationBundle.verify(tampered.resolveSibling("no-such.zip"), verifier);
      assertFalse(unreadable.verified());
      assertEquals("no-such.zip", unreadable.problems().get(0).file());
      ConversationBundle.Report garbage = ConversationBundle.verify(rewrite(archive, dir.resolve("garbage.zip"),
          (name, bytes) -> name.equals("manifest.json") ? "{not json".getBytes(StandardCharsets.UTF_8) : bytes), verifier);
      assertEquals("manifest.json", garbage.problems().get(0).file());
      ConversationBundle.Report empty = ConversationBundle.verify(rewrite(archive, dir.resolve("empty.zip"),
          (name, bytes) -> name.equals("manifest.json") ? "{\"format\": \"chainseal-bundle/1\", \"conversation\": \"room-1\", \"messages\": []}"
              .getBytes(StandardCharsets.UTF_8) : null), verifier);
      assertFalse(empty.verified(), "an archive listing nothing verifies nothing");
      ConversationBundle.Report twice = ConversationBundle.verify(rewrite(archive, dir.resolve("twice.zip"), (name, bytes) -> {
        if (!name.equals("manifest.json")) {
          return bytes;
        }
        String json = new String(bytes, StandardCharsets.UTF_8);
        int last = json.lastIndexOf(']');
        int first = json.indexOf('{', json.indexOf("\"messages\""));
        int end = json.indexOf('}', first) + 1;
        return (json.substring(0, last) + ", " + json.substring(first, end) + json.substring(last)).getBytes(StandardCharsets.UTF_8);
      }), verifier);
      assertFalse(twice.verified(), "a message listed twice: " + twice.problems());

      // Import into another store only if everything verifies.
      try (SqliteMessageStore other = SqliteMessageStore.open(dir.resolve("other.db"),
          KeystoreKeyProvider.open(dir.resolve("other.p12"), "pw".toCharArray()), storeOperator)) {
        assertFalse(ConversationBundle.importInto(tampered, verifier, other).verified());
        assertEquals(List.of(), other.conversation("room-1"), "nothing imported from a tampered archive");
        assertTrue(ConversationBundle.importInto(archive, verifier, other).verified());
        assertEquals(14, other.conversation("room-1").size(), "every message but the erased one");
        assertTrue(other.get(new MessageRef("room-1", "m-29")).orElseThrow().proof().isPresent());
      }
    }
  }

  private record Result(int exit, String output) {}

  private static Result check(Path archive, String[] trust) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), io.chainseal.cli.Main.class.getName(), "verify", "--bundle", archive.toString()));
    command.addAll(List.of(trust));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the checking process did not finish: " + output);
    }
    return new Result(process.exitValue(), output);
  }

  /** A copy of {@code from} with each file passed through {@code change} (null drops it), plus empty extra files. */
  private static Path rewrite(Path from, Path to, BiFunction<String, byte[], byte[]> change, String... extra) throws IOException {
    try (InputStream in = Files.newInputStream(from); ZipInputStream zin = new ZipInputStream(in);
        OutputStream out = Files.newOutputStream(to); ZipOutputStream zout = new ZipOutputStream(out)) {
      for (ZipEntry entry = zin.getNextEntry(); entry != null; entry = zin.getNextEntry()) {
        byte[] bytes = change.apply(entry.getName(), zin.readAllBytes());
        if (bytes != null) {
          zout.putNextEntry(new ZipEntry(entry.getName()));
          zout.write(bytes);
          zout.closeEntry();
        }
      }
      for (String name : extra) {
        zout.putNextEntry(new ZipEntry(name));
        zout.closeEntry();
      }
    }
    return to;
  }
}
