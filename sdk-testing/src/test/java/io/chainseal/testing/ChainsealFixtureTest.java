package io.chainseal.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.anchor.ProvenanceResult;
import io.chainseal.chain.ChainClient;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.SignatureScheme;
import io.chainseal.core.SigningKey;
import io.chainseal.core.VerificationStatus;
import io.chainseal.host.Chainseal;
import io.chainseal.host.Outgoing;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The fixture on a real chain: its contracts are there, and a Chainseal built from it works with the SDK's defaults. */
@Tag("slow")
@WithChainseal
class ChainsealFixtureTest {
  @Test
  void deploysTheAnchorTheChannelsAndAFundedTokenInOneCall(ChainsealFixture fixture) {
    ChainsealContracts contracts = fixture.contracts();
    try (ChainClient client = ChainClient.http(fixture.chain().rpcUrl())) {
      long head = client.blockNumber();
      assertTrue(code(fixture, contracts.anchor().address()).length() > 2, "anchor contract code");
      assertTrue(code(fixture, contracts.channels().address()).length() > 2, "channel contract code");
      byte[] balanceOf = new byte[36];
      System.arraycopy(new byte[] {0x70, (byte) 0xa0, (byte) 0x82, 0x31}, 0, balanceOf, 0, 4);
      System.arraycopy(contracts.tokenHolder().evmAddress().bytes(), 0, balanceOf, 16, 20);
      assertEquals(ChainsealContracts.TOKEN_SUPPLY, new BigInteger(1, client.call(contracts.token(), balanceOf, head)));
    }
    assertTrue(fixture.contracts().anchorDeploymentBlock() > 0);
  }

  private static String code(ChainsealFixture fixture, EvmAddress contract) {
    return fixture.chain().rpc("eth_getCode", contract.checksummed(), "latest").asText();
  }

  @Test
  void aChainsealFromTheFixtureAnchorsAndVerifiesWithTheDefaults(ChainsealFixture fixture) throws Exception {
    SigningKey alice = SigningKey.generate(SignatureScheme.ED25519, new SecureRandom());
    try (Chainseal chainseal = fixture.chainsealBuilder("server-1").build()) {
      MessageEnvelope message = MessageEnvelope.builder().conversationId("general").messageId("m-1")
          .senderId("alice@chat.test").senderKey(alice.id()).timestamp(Instant.now()).text("hello").build();
      Outgoing out = chainseal.onOutgoing(message, alice);
      // The default 3 confirmations arrive on the testkit's default chain without further traffic.
      MessageProof proof = out.pending().await(Duration.ofMinutes(2));
      ProvenanceResult verdict = chainseal.onIncoming(message, out.salt(), proof);
      assertEquals(VerificationStatus.VERIFIED, verdict.status(), verdict.reason());
      assertTrue(verdict.confirmations() >= 3, "confirmations: " + verdict.confirmations());
    }
    assertTrue(Files.exists(fixture.directory().resolve("server-1").resolve("anchor.db")), "the journal is in the fixture's folder");
    assertThrows(IllegalArgumentException.class, () -> fixture.chainsealBuilder("../escape"));
    assertFalse(Arrays.asList(fixture.directory().toFile().list()).contains("escape"));
  }
}
