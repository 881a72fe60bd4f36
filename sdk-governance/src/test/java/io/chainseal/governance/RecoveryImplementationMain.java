package io.chainseal.governance;

import io.chainseal.core.internal.Secp256k1;

/** Prints which implementation recovers secp256k1 keys in this JVM (run by VoteTest in a child JVM). */
final class RecoveryImplementationMain {
  private RecoveryImplementationMain() {}

  public static void main(String[] args) {
    System.out.println("recovery=" + Secp256k1.recoveryImplementation());
  }
}
