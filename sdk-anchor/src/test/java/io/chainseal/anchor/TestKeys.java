package io.chainseal.anchor;

import io.chainseal.core.SigningKey;
import io.chainseal.testkit.DevAccount;
import org.web3j.utils.Numeric;

/** Signing keys of the local chain's funded test accounts. */
final class TestKeys {
  private TestKeys() {}

  static SigningKey of(DevAccount account) {
    return SigningKey.secp256k1(Numeric.toBytesPadded(account.credentials().getEcKeyPair().getPrivateKey(), 32));
  }
}
