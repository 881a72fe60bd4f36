package io.chainseal.core;

import java.time.Instant;
import java.util.HexFormat;

/** Deterministic envelopes, salts and keys for tests. */
final class Fixtures {
  /** Anvil's first dev account key: public test key material. */
  static final byte[] ANVIL_KEY_0 = HexFormat.of().parseHex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  static final String ANVIL_ADDRESS_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

  private Fixtures() {}

  static MessageEnvelope message(String messageId, String text) {
    return MessageEnvelope.builder()
        .conversationId("room-42")
        .messageId(messageId)
        .senderId("alice@example.org")
        .timestamp(Instant.parse("2026-11-24T09:00:00.123Z"))
        .text(text)
        .build();
  }

  static Salt salt(int seed) {
    byte[] bytes = new byte[32];
    for (int i = 0; i < 32; i++) {
      bytes[i] = (byte) (seed * 31 + i);
    }
    return Salt.of(bytes);
  }

  static SigningKey secp256k1() {
    return SigningKey.secp256k1(ANVIL_KEY_0);
  }

  static SigningKey ed25519() {
    byte[] seed = new byte[32];
    seed[0] = 7;
    return SigningKey.ed25519(seed);
  }
}
