package io.chainseal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.anchor.AnchorContract;
import io.chainseal.chain.ChainClient;
import io.chainseal.chain.ChainLog;
import io.chainseal.chain.ChainReceipt;
import io.chainseal.anchor.TrustSettings;
import io.chainseal.core.AnchorReference;
import io.chainseal.core.Checkpoint;
import io.chainseal.core.EnvelopeCodec;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import io.chainseal.core.MerkleTree;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageSignature;
import io.chainseal.core.ProofCodec;
import io.chainseal.core.Salt;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.SignedCheckpoint;
import io.chainseal.core.SignerId;
import io.chainseal.core.SigningKey;
import io.chainseal.testkit.ContractArtifact;
import io.chainseal.testkit.DevAccount;
import io.chainseal.testkit.LocalChain;
import io.chainseal.testkit.WithLocalChain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.utils.Numeric;

/**
 * {@code chainseal verify} on a real chain: exit 0 only for a message anchored by a trusted publisher in
 * a trusted contract; an impostor contract's forged event never exits 0, whatever the trust settings
 * (options, a trust file, or none at all); an erased message's proof is checked with {@code --erased};
 * every command answers {@code --help}.
 */
@WithLocalChain
@Tag("slow")
class VerifyCommandTest {
  private static final Hash32 ZERO = Hash32.of(new byte[32]);

  record Cli(int code, String out, String err) {}

  static Cli cli(Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        environment, args);
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static AnchorReference send(LocalChain local, DevAccount from, EvmAddress to, byte[] data) {
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      ChainReceipt receipt = chain.receipt(local.transact(from, to, data).transactionHash()).orElseThrow();
      ChainLog log = receipt.logs().get(0);
      return new AnchorReference(local.chainId(), log.address(), receipt.transactionHash(), receipt.blockNumber(), log.logIndex(),
          receipt.blockHash());
    }
  }

  private static SigningKey key(DevAccount account) {
    return account.signingKey();
  }

  /** Writes a one-message batch's message file and proof; returns the proof. */
  private static MessageProof write(Path dir, String name, MessageEnvelope envelope, Salt salt, AnchorReference anchor)
      throws Exception {
    Hash32 root = envelope.commit(salt);
    MessageProof proof = MessageProof.builder().commitment(root).inclusion(MerkleTree.ofLeafHashes(List.of(root)).inclusionProof(0))
        .root(root).anchor(anchor).build();
    Files.writeString(dir.resolve(name + ".message.json"), EnvelopeCodec.toJson(new SaltedEnvelope(envelope, salt)));
    Files.writeString(dir.resolve(name + ".proof.json"), ProofCodec.toJson(proof));
    return proof;
  }

  private static MessageEnvelope message(String text) {
    return MessageEnvelope.builder().conversationId("room").messageId(text).senderId("alice")
        .timestamp(Instant.parse("2026-11-26T10:00:00Z")).text(text).build();
  }

  @Test
  void impostorAnchorNeverExitsZeroWhateverTheTrustSettings(LocalChain local, @TempDir Path dir) throws Exception {
    DevAccount operatorAccount = local.account(1);
    EvmAddress operator = EvmAddress.fromHex(operatorAccount.address());
    AnchorContract contract;
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      contract = AnchorContract.deploy(chain, key(local.account(0)), false);
    }
    MessageEnvelope genuine = message("genuine");
    Salt genuineSalt = Salt.random();
    write(dir, "genuine", genuine, genuineSalt, send(local, operatorAccount, contract.address(),
        contract.encodeAnchor(genuine.commit(genuineSalt), 1, 1, ZERO)));

    DevAccount attacker = local.account(2);
    String impostor = local.deploy(ContractArtifact.fromClasspath(ContractArtifact.IMPOSTOR_ANCHOR), attacker).address().checksummed();
    MessageEnvelope fake = message("I never sent this");
    Salt fakeSalt = Salt.random();
    byte[] forge = Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function("forge", List.of(
        new Address(operator.lowercase()), new Bytes32(fake.commit(fakeSalt).bytes()), new Uint64(BigInteger.ONE),
        new Uint64(BigInteger.TWO), new Bytes32(genuine.commit(genuineSalt).bytes())), List.of())));
    write(dir, "fake", fake, fakeSalt, send(local, attacker, EvmAddress.fromHex(impostor), forge));

    Path trustFile = dir.resolve("trust.json");
    Files.writeString(trustFile, TrustSettings.builder().chainId(local.chainId())
        .trustContract(contract.address(), contract.deploymentBlock().orElseThrow()).trustPublisher(operator)
        .confirmations(1).rpcUrl(local.rpcUrl()).build().toJson());
    Map<String, String> noHome = Map.of();
    List<String> fakeFiles = List.of("--message", dir.resolve("fake.message.json").toString(), "--proof",
        dir.resolve("fake.proof.json").toString());
    List<String> genuineFiles = List.of("--message", dir.resolve("genuine.message.json").toString(), "--proof",
        dir.resolve("genuine.proof.json").toString());

    Cli control = cli(noHome, args(genuineFiles, "--trust-file", trustFile.toString()));
    assertEquals(0, control.code(), "control: " + control.out() + control.err());
    assertTrue(control.out().startsWith("VERIFIED"), control.out());

    Cli byOptions = cli(noHome, args(fakeFiles, "--rpc", local.rpcUrl(), "--chain-id", Long.toString(local.chainId()),
        "--contract", contract.address() + "@" + contract.deploymentBlock().orElseThrow(), "--publisher", operator.toString(),
        "--confirmations", "1"));
    assertEquals(1, byOptions.code(), byOptions.out() + byOptions.err());
    assertTrue(byOptions.out().startsWith("NOT_ANCHORED"), byOptions.out());

    Cli byFile = cli(noHome, args(fakeFiles, "--trust-file", trustFile.toString()));
    assertEquals(1, byFile.code(), byFile.out() + byFile.err());
    Cli byEnvironment = cli(Map.of("CHAINSEAL_TRUST_FILE", trustFile.toString()), args(fakeFiles));
    assertEquals(1, byEnvironment.code(), byEnvironment.out() + byEnvironment.err());
    // Trust named on the command line is not widened by the default file: the impostor is all it trusts.
    Cli notWidened = cli(Map.of("CHAINSEAL_TRUST_FILE", trustFile.toString()), args(genuineFiles, "--rpc", local.rpcUrl(),
        "--chain-id", Long.toString(local.chainId()), "--contract", impostor, "--publisher", operator.toString()));
    assertEquals(1, notWidened.code(), notWidened.out() + notWidened.err());
    assertTrue(notWidened.out().contains("trusting   chain " + local.chainId() + ", contracts [" + EvmAddress.fromHex(impostor)),
        notWidened.out());

    Cli none = cli(noHome, args(fakeFiles, "--rpc", local.rpcUrl()));
    assertEquals(2, none.code(), none.out() + none.err());
    assertTrue(none.err().contains("trust"), none.err());
    assertTrue(none.out().isEmpty(), "no verdict without trust settings");

    Cli trustingTheImpostor = cli(noHome, args(fakeFiles, "--rpc", local.rpcUrl(), "--chain-id", Long.toString(local.chainId()),
        "--contract", impostor, "--publisher", operator.toString(), "--confirmations", "1"));
    assertEquals(1, trustingTheImpostor.code(), trustingTheImpostor.out() + trustingTheImpostor.err());
    assertTrue(trustingTheImpostor.out().contains("sent by"), trustingTheImpostor.out());

    Cli anyone = cli(noHome, args(fakeFiles, "--rpc", local.rpcUrl(), "--chain-id", Long.toString(local.chainId()),
        "--contract", impostor, "--insecure-any-publisher", "--confirmations", "1"));
    assertEquals(1, anyone.code(), anyone.out() + anyone.err());
    Cli anyoneGenuine = cli(noHome, args(genuineFiles, "--rpc", local.rpcUrl(), "--chain-id", Long.toString(local.chainId()),
        "--contract", contract.address().toString(), "--insecure-any-publisher", "--confirmations", "1"));
    assertEquals(1, anyoneGenuine.code(), "VERIFIED, but not by a trusted publisher: " + anyoneGenuine.out());
    assertTrue(anyoneGenuine.out().startsWith("VERIFIED") && anyoneGenuine.out().contains("--insecure-any-publisher"));
  }

  @Test
  void erasedProofIsCheckedAloneAndAForgedCheckpointFails(LocalChain local, @TempDir Path dir) throws Exception {
    DevAccount operatorAccount = local.account(1);
    SigningKey operator = key(operatorAccount);
    AnchorContract contract;
    try (ChainClient chain = ChainClient.http(local.rpcUrl())) {
      contract = AnchorContract.deploy(chain, key(local.account(0)), false);
    }
    MessageEnvelope envelope = message("erase me");
    Salt salt = Salt.random();
    Hash32 root = envelope.commit(salt);
    AnchorReference anchor = send(local, operatorAccount, contract.address(), contract.encodeAnchor(root, 1, 1, ZERO));
    MessageProof proof = write(dir, "m", envelope, salt, anchor);
    Checkpoint checkpoint = new Checkpoint(local.chainId(), contract.address(), operator.id().address(), 1, 1, root,
        Instant.parse("2026-11-26T10:00:01Z"));
    MessageProof sealed = proof.toBuilder().anchor(null).checkpoint(checkpoint.sign(operator)).build();
    MessageProof forged = sealed.toBuilder().checkpoint(new SignedCheckpoint(checkpoint, MessageSignature.of(
        SignerId.ofAddress(operator.id().address()), key(local.account(3)).sign(checkpoint.digest()).value()))).build();
    Files.writeString(dir.resolve("sealed.proof.json"), ProofCodec.toJson(sealed.redactedForErasure()));
    Files.writeString(dir.resolve("forged.proof.json"), ProofCodec.toJson(forged.redactedForErasure()));
    Path trustFile = dir.resolve("trust.json");
    Files.writeString(trustFile, TrustSettings.builder().chainId(local.chainId()).trustContract(contract.address())
        .trustPublisher(operator.id().address()).confirmations(1).rpcUrl(local.rpcUrl()).build().toJson());

    Cli genuine = cli(Map.of(), "verify", "--trust-file", trustFile.toString(), "--erased", "--proof",
        dir.resolve("sealed.proof.json").toString());
    assertEquals(0, genuine.code(), genuine.out() + genuine.err());
    assertFalse(genuine.out().contains("signature  "), "an erased proof names no signer: " + genuine.out());
    Cli junk = cli(Map.of(), "verify", "--trust-file", trustFile.toString(), "--erased", "--proof",
        dir.resolve("forged.proof.json").toString());
    assertEquals(1, junk.code(), junk.out() + junk.err());
    assertTrue(junk.out().startsWith("BAD_SIGNATURE"), junk.out());
    Cli withMessage = cli(Map.of(), "verify", "--trust-file", trustFile.toString(), "--erased", "--message",
        dir.resolve("m.message.json").toString(), "--proof", dir.resolve("m.proof.json").toString());
    assertEquals(2, withMessage.code(), withMessage.err());
    Cli senderOfErased = cli(Map.of(), "verify", "--trust-file", trustFile.toString(), "--erased", "--require-sender-signature",
        "--proof", dir.resolve("sealed.proof.json").toString());
    assertEquals(2, senderOfErased.code(), "an erased proof cannot show the sender's signature: " + senderOfErased.out());
  }

  @Test
  void everyCommandAnswersHelp() {
    for (List<String> command : List.of(List.of("verify"), List.of("provenance"), List.of("merkle"), List.of("merkle", "root"),
        List.of("anchor-status"), List.of("version"), List.of("help"))) {
      List<String> arguments = new ArrayList<>(command);
      arguments.add("--help");
      Cli help = cli(Map.of(), arguments.toArray(String[]::new));
      assertEquals(0, help.code(), command + ": " + help.err());
      assertTrue(help.out().startsWith("usage: chainseal"), command + ": " + help.out());
      assertTrue(help.err().isEmpty(), command + ": " + help.err());
    }
    assertTrue(cli(Map.of(), "verify", "--help").out().contains("--trust-file"));
    // A help flag among other arguments (where a file name could be) is never a success.
    for (String[] args : List.of(new String[] {"verify", "--message", "m.json", "--proof", "-h"},
        new String[] {"verify", "--message", "--help", "--proof", "p.json"}, new String[] {"verify", "--publisher", "-h"})) {
      Cli mixed = cli(Map.of(), args);
      assertEquals(2, mixed.code(), String.join(" ", args) + ": " + mixed.out());
      assertTrue(mixed.out().isEmpty(), mixed.out());
    }
    assertTrue(cli(Map.of(), "verify", "--help").out().contains("--bundle"));
    Cli bundleAndMessage = cli(Map.of(), "verify", "--bundle", "b.zip", "--message", "m.json", "--chain-id", "1");
    assertEquals(2, bundleAndMessage.code(), "a bundle carries its own messages: " + bundleAndMessage.out());
    assertTrue(bundleAndMessage.err().contains("--bundle"), bundleAndMessage.err());
    Cli noBundle = cli(Map.of(), "verify", "--bundle", "/nonexistent/b.zip", "--chain-id", "1");
    assertEquals(2, noBundle.code(), noBundle.out());
    assertFalse(noBundle.err().contains("Exception"), noBundle.err());
    assertTrue(cli(Map.of(), "help").out().contains("provenance --bundle"));
    Cli noArchives = cli(Map.of(), "provenance", "--chain-id", "1");
    assertEquals(2, noArchives.code(), noArchives.out());
    assertTrue(noArchives.err().contains("missing --bundle"), noArchives.err());
    Cli missingArchive = cli(Map.of(), "provenance", "--bundle", "/nonexistent/b.zip", "--chain-id", "1");
    assertEquals(2, missingArchive.code(), missingArchive.out());
    assertTrue(missingArchive.err().contains("/nonexistent/b.zip: no such file"), missingArchive.err());
    Cli halfStart = cli(Map.of(), "provenance", "--bundle", "b.zip", "--conversation", "room-1");
    assertEquals(2, halfStart.code(), halfStart.out());
    assertTrue(halfStart.err().contains("--conversation and --message-id go together"), halfStart.err());
    Cli hugeSkew = cli(Map.of(), "provenance", "--bundle", "b.zip", "--clock-skew-seconds", Long.toString(Long.MAX_VALUE));
    assertEquals(2, hugeSkew.code(), hugeSkew.err());
    assertTrue(hugeSkew.err().contains("--clock-skew-seconds must be at most 86400"), hugeSkew.err());
    Cli spoofing = cli(Map.of(), "provenance", "--bundle", "/nonexistent/\u001b[2K\rverdict VERIFIED\u202e.zip", "--chain-id", "1");
    assertEquals(2, spoofing.code(), spoofing.err());
    assertFalse(spoofing.err().contains("\u001b") || spoofing.err().contains("\r") || spoofing.err().contains("\u202e"),
        "control and bidi characters are escaped: " + spoofing.err());
    assertTrue(spoofing.err().contains("\\u001b"), spoofing.err());
    Cli unknown = cli(Map.of(), "verify", "--nonsense", "x");
    assertEquals(2, unknown.code());
    assertFalse(unknown.err().contains("Exception"), unknown.err());
  }

  private static String[] args(List<String> files, String... more) {
    List<String> all = new ArrayList<>();
    all.add("verify");
    all.addAll(files);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
