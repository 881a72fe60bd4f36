package io.chainseal.core;

/**
 * Wraps and unwraps data keys with a key-encryption key the host controls — a local keystore file
 * by default, a cloud KMS or an HSM by implementing this interface. A message store keeps only
 * wrapped data keys; destroying a wrapped data key makes everything encrypted under it unreadable
 * for good (crypto-shredding). Implementations must be thread-safe and must never put key material
 * in a log line, {@code toString} or exception message.
 */
public interface KeyProvider {
  /** Names the key-encryption key, stored beside each wrapped key (so keys can be rotated). */
  String keyId();

  /**
   * Encrypts {@code dataKey} under the key-encryption key.
   *
   * @throws KeyProviderException if the key-encryption key is unavailable
   */
  byte[] wrap(byte[] dataKey);

  /**
   * Decrypts a wrapped data key.
   *
   * @throws KeyProviderException if the key-encryption key is unavailable, or {@code wrapped} was not
   *     made by it (tampered, or another key's)
   */
  byte[] unwrap(byte[] wrapped);

  /** A key provider's failure; its message never holds key material. */
  final class KeyProviderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeyProviderException(String message, Throwable cause) {
      super(message, cause);
    }

    public KeyProviderException(String message) {
      super(message);
    }
  }
}
