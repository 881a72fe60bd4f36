package io.chainseal.core;

import org.jspecify.annotations.Nullable;

/** How a message's commitment is signed. */
public enum SignatureScheme {
  /**
   * secp256k1 ECDSA over EIP-191 {@code personal_sign} of the 32-byte commitment, as Ethereum wallets
   * sign: keccak256("\x19Ethereum Signed Message:\n32" ‖ commitment). Signature r ‖ s ‖ v (65 bytes,
   * v = 27 or 28), low s only. The signer is identified by its 20-byte address.
   */
  SECP256K1_EIP191("eip191", 65, 20),
  /**
   * Ed25519 (RFC 8032) over ASCII "CHAINSEAL/SIGNATURE/V1\n" ‖ commitment. Signature 64 bytes; the
   * signer is identified by its 32-byte public key.
   */
  ED25519("ed25519", 64, 32);

  private final String id;
  private final int signatureLength;
  private final int identityLength;

  SignatureScheme(String id, int signatureLength, int identityLength) {
    this.id = id;
    this.signatureLength = signatureLength;
    this.identityLength = identityLength;
  }

  /** The scheme's name in text forms and proof documents. */
  public String id() {
    return id;
  }

  public int signatureLength() {
    return signatureLength;
  }

  /** Length of the signer identity: an address (secp256k1) or a public key (Ed25519). */
  public int identityLength() {
    return identityLength;
  }

  static @Nullable SignatureScheme fromId(String id) {
    for (SignatureScheme scheme : values()) {
      if (scheme.id.equals(id)) {
        return scheme;
      }
    }
    return null;
  }
}
