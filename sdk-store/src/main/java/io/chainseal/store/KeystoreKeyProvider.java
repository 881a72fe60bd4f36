package io.chainseal.store;

import io.chainseal.core.KeyProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A {@link KeyProvider} whose key-encryption key is an AES-256 key in a password-protected PKCS#12
 * keystore file (the JDK's {@link KeyStore}), created on first use with owner-only permissions. Data
 * keys are wrapped with AES-GCM (a random 96-bit nonce each; {@code nonce ‖ ciphertext ‖ tag}).
 * Thread-safe. Keep the keystore file and its password apart from the store's database: whoever holds
 * both reads every message not yet erased.
 */
public final class KeystoreKeyProvider implements KeyProvider {
  private static final String ALIAS = "chainseal-kek";
  private static final int NONCE = 12;

  private final SecretKey kek;
  private final String keyId;
  private final SecureRandom random = new SecureRandom();

  private KeystoreKeyProvider(SecretKey kek, String keyId) {
    this.kek = kek;
    this.keyId = keyId;
  }

  /**
   * Opens the keystore at {@code file}, creating it with a new key if it does not exist.
   *
   * @throws KeyProviderException if the file cannot be read or written, or the password is wrong
   */
  public static KeystoreKeyProvider open(Path file, char[] password) {
    Objects.requireNonNull(file, "file == null");
    Objects.requireNonNull(password, "password == null");
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      if (!Files.exists(file)) {
        create(file, password); // false if another process created it meanwhile: theirs is used
      }
      try (InputStream in = Files.newInputStream(file)) {
        store.load(in, password);
      }
      KeyStore.Entry entry = store.getEntry(ALIAS, new KeyStore.PasswordProtection(password));
      if (!(entry instanceof KeyStore.SecretKeyEntry secret)) {
        throw new KeyProviderException("keystore " + file + " holds no key named " + ALIAS);
      }
      // The key id: the keystore file's name and a fingerprint that does not reveal the key.
      byte[] fingerprint = java.security.MessageDigest.getInstance("SHA-256").digest(wrapWith(secret.getSecretKey(), new byte[32],
          new byte[NONCE]));
      return new KeystoreKeyProvider(secret.getSecretKey(), "keystore:" + file.getFileName() + ":"
          + java.util.HexFormat.of().formatHex(fingerprint, 0, 8));
    } catch (IOException e) {
      throw new KeyProviderException("cannot open keystore " + file + " (wrong password, or unreadable): "
          + e.getClass().getSimpleName(), e);
    } catch (GeneralSecurityException e) {
      throw new KeyProviderException("cannot open keystore " + file + ": " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * Writes a new keystore to {@code file} if none exists — created exclusively (never replacing one
   * another process made meanwhile), owner-only from the start, and forced to disk.
   *
   * @return whether this call created it
   */
  private static boolean create(Path file, char[] password) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, password);
    KeyGenerator generator = KeyGenerator.getInstance("AES");
    generator.init(256);
    store.setEntry(ALIAS, new KeyStore.SecretKeyEntry(generator.generateKey()), new KeyStore.PasswordProtection(password));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    store.store(bytes, password);
    java.util.Set<java.nio.file.OpenOption> options = java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE);
    java.nio.channels.FileChannel channel;
    try {
      channel = java.nio.channels.FileChannel.open(file, options,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      channel = java.nio.channels.FileChannel.open(file, options); // not a POSIX file system: its defaults apply
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return false;
    }
    try (java.nio.channels.FileChannel out = channel) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes.toByteArray());
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
    return true;
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public byte[] wrap(byte[] dataKey) {
    byte[] nonce = new byte[NONCE];
    random.nextBytes(nonce);
    try {
      return wrapWith(kek, dataKey, nonce);
    } catch (GeneralSecurityException e) {
      throw new KeyProviderException("cannot wrap a data key: " + e.getClass().getSimpleName(), e);
    }
  }

  private static byte[] wrapWith(SecretKey kek, byte[] dataKey, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(128, nonce));
    byte[] sealed = cipher.doFinal(dataKey);
    byte[] out = Arrays.copyOf(nonce, NONCE + sealed.length);
    System.arraycopy(sealed, 0, out, NONCE, sealed.length);
    return out;
  }

  @Override
  public byte[] unwrap(byte[] wrapped) {
    if (wrapped.length <= NONCE + 16) {
      throw new KeyProviderException("a wrapped key of " + wrapped.length + " bytes is too short");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(128, wrapped, 0, NONCE));
      return cipher.doFinal(wrapped, NONCE, wrapped.length - NONCE);
    } catch (GeneralSecurityException e) {
      throw new KeyProviderException("cannot unwrap a data key (tampered, or wrapped by another key): " + e.getClass().getSimpleName(), e);
    }
  }

  /** The key id only, never key material. */
  @Override
  public String toString() {
    return "KeystoreKeyProvider[" + keyId + "]";
  }
}
