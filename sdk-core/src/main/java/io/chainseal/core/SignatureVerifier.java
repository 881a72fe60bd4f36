package io.chainseal.core;

import io.chainseal.core.internal.Keccak;
import io.chainseal.core.internal.Secp256k1;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.jspecify.annotations.Nullable;

/**
 * Checks signatures over message commitments. Stateless; never throws on hostile input (a malformed
 * signature, an invalid public key, a high-s secp256k1 signature): those are invalid
 * {@link SignatureCheck}s that say why.
 */
public final class SignatureVerifier {
  private SignatureVerifier() {}

  /** Checks that {@code signature} is its claimed signer's signature over {@code commitment}. */
  public static SignatureCheck verify(@Nullable Hash32 commitment, @Nullable MessageSignature signature) {
    if (commitment == null || signature == null) {
      return SignatureCheck.fail("missing commitment or signature");
    }
    byte[] value = signature.value();
    byte[] message = commitment.bytes();
    try {
      if (signature.scheme() == SignatureScheme.SECP256K1_EIP191) {
        int v = value[64] & 0xff;
        if (v != 27 && v != 28) {
          return SignatureCheck.fail("secp256k1 signature has v = " + v + "; an EIP-191 signature ends in 27 or 28");
        }
        if (Secp256k1.hasHighS(value)) {
          return SignatureCheck.fail("secp256k1 signature has a high s value (malleable form)");
        }
        byte[] publicKey = Secp256k1.recover(value, Keccak.keccak256(SigningKey.EIP191_PREFIX, message));
        if (publicKey == null) {
          return SignatureCheck.fail("secp256k1 signature is malformed: no public key can be recovered");
        }
        byte[] recovered = Secp256k1.address(publicKey);
        if (!Arrays.equals(recovered, signature.signer().identity())) {
          return SignatureCheck.fail("signed by " + EvmAddress.of(recovered) + ", not by the claimed "
              + signature.signer().address());
        }
        return SignatureCheck.ok();
      }
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, new Ed25519PublicKeyParameters(signature.signer().identity(), 0));
      verifier.update(SigningKey.ED25519_DOMAIN, 0, SigningKey.ED25519_DOMAIN.length);
      verifier.update(message, 0, message.length);
      return verifier.verifySignature(value) ? SignatureCheck.ok()
          : SignatureCheck.fail("Ed25519 signature does not verify under " + signature.signer());
    } catch (RuntimeException e) {
      // Bouncy Castle rejects some malformed keys and points by throwing.
      return SignatureCheck.fail(signature.scheme().id() + " signature could not be checked: " + e.getClass().getSimpleName());
    }
  }
}
