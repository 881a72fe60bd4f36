package io.chainseal.anchor;

import io.chainseal.core.SigningKey;
import io.chainseal.testkit.DevAccount;

/** Signing keys of the local chain's funded test accounts. */
final class TestKeys {
  private TestKeys() {}

  static SigningKey of(DevAccount account) {
    return account.signingKey();
  }
}
