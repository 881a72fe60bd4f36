package io.chainseal.wallet;

import java.util.Objects;

/**
 * Key material could not be read, derived or unlocked. {@link #reason()} says why; the message names
 * the problem (a word position, a file), never a word, a password or a key.
 */
public final class WalletKeyException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why key material was refused. */
  public enum Reason {
    /** The mnemonic has an unknown word, a wrong number of words, or a failing checksum. */
    INVALID_MNEMONIC,
    /** The keystore's password is wrong (its MAC does not match). */
    WRONG_PASSWORD,
    /** The keystore file is not Web3 Secret Storage JSON, or a field is missing or malformed. */
    MALFORMED_KEYSTORE,
    /** The keystore uses a version, cipher or key-derivation function this library does not read. */
    UNSUPPORTED_KEYSTORE,
    /** An account index or private key is out of range. */
    INVALID_KEY,
    /** A file could not be read or written. */
    IO
  }

  private final Reason reason;

  public WalletKeyException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason == null");
  }

  public WalletKeyException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason == null");
  }

  public Reason reason() {
    return reason;
  }
}
