package io.chainseal.wallet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.exception.CipherException;

/**
 * Encrypted key files in Web3 Secret Storage (version 3: scrypt, AES-128-CTR), the format of geth,
 * MetaMask exports and most tools. Encryption and decryption are Web3j's {@link Wallet}; this class
 * adds typed errors, an address check and atomic writes.
 *
 * <p>Web3j takes passwords as {@code String}s, so a password passed in here as {@code char[]} is
 * briefly copied into one; the caller's array can be wiped right after the call.
 */
public final class Keystore {
  /** How hard the password is made to guess: the scrypt cost. */
  public enum Strength {
    /** scrypt N = 2^18, p = 1 (geth's default): about a second and 256 MiB per unlock. */
    STANDARD,
    /** scrypt N = 2^12, p = 6: milliseconds; for tests and devices that cannot afford STANDARD. */
    LIGHT
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Keystore() {}

  /** {@code key} encrypted under {@code password}, as keystore JSON. */
  public static String encrypt(WalletKey key, char[] password, Strength strength) throws WalletKeyException {
    Objects.requireNonNull(key, "key == null");
    Objects.requireNonNull(password, "password == null");
    Objects.requireNonNull(strength, "strength == null");
    byte[] secret = key.exportSecret();
    try {
      ECKeyPair pair = ECKeyPair.create(secret);
      String pw = new String(password);
      WalletFile file = strength == Strength.STANDARD ? Wallet.createStandard(pw, pair) : Wallet.createLight(pw, pair);
      return JSON.writeValueAsString(file);
    } catch (CipherException | JsonProcessingException e) {
      throw new WalletKeyException(WalletKeyException.Reason.IO, "could not encrypt the key of " + key.address(), e);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** Writes {@code key} encrypted under {@code password} to {@code file} (replacing it atomically, owner-only where the file system allows). */
  public static void save(WalletKey key, char[] password, Strength strength, Path file) throws WalletKeyException {
    Objects.requireNonNull(file, "file == null");
    String json = encrypt(key, password, strength);
    Path absolute = file.toAbsolutePath();
    Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
    try {
      Files.writeString(temporary, json, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(temporary, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: the directory's access rules apply.
      }
      Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new WalletKeyException(WalletKeyException.Reason.IO, "could not write the keystore " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads and unlocks the keystore file {@code file}. */
  public static WalletKey load(Path file, char[] password) throws WalletKeyException {
    Objects.requireNonNull(file, "file == null");
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new WalletKeyException(WalletKeyException.Reason.IO, "could not read the keystore " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) { // MalformedInputException is an IOException; others (not UTF-8) land here
      throw new WalletKeyException(WalletKeyException.Reason.MALFORMED_KEYSTORE, "the keystore " + file + " is not text", e);
    }
    return decrypt(json, password);
  }

  /**
   * Unlocks keystore JSON.
   *
   * @throws WalletKeyException WRONG_PASSWORD, MALFORMED_KEYSTORE (not keystore JSON, or its address
   *     is not its key's) or UNSUPPORTED_KEYSTORE (another version, cipher or KDF)
   */
  public static WalletKey decrypt(String json, char[] password) throws WalletKeyException {
    Objects.requireNonNull(json, "json == null");
    Objects.requireNonNull(password, "password == null");
    WalletFile file;
    try {
      file = JSON.readValue(json, WalletFile.class);
    } catch (IOException | RuntimeException e) {
      throw new WalletKeyException(WalletKeyException.Reason.MALFORMED_KEYSTORE, "not a Web3 Secret Storage keystore (unreadable JSON)");
    }
    if (file == null || file.getCrypto() == null) {
      throw new WalletKeyException(WalletKeyException.Reason.MALFORMED_KEYSTORE, "not a Web3 Secret Storage keystore (no \"crypto\" object)");
    }
    ECKeyPair pair;
    try {
      pair = Wallet.decrypt(new String(password), file);
    } catch (CipherException e) {
      String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (message.contains("password")) {
        throw new WalletKeyException(WalletKeyException.Reason.WRONG_PASSWORD, "wrong password for the keystore");
      }
      if (message.contains("not supported")) {
        throw new WalletKeyException(WalletKeyException.Reason.UNSUPPORTED_KEYSTORE, "unsupported keystore: " + e.getMessage());
      }
      throw new WalletKeyException(WalletKeyException.Reason.MALFORMED_KEYSTORE, "malformed keystore: " + e.getMessage());
    } catch (RuntimeException e) {
      // Missing or non-hex fields surface from Web3j as NullPointerException or NumberFormatException.
      throw new WalletKeyException(WalletKeyException.Reason.MALFORMED_KEYSTORE, "malformed keystore: a field is missing or not hex");
    }
    BigInteger privateKey = pair.getPrivateKey();
    WalletKey key = WalletKey.ofPrivateKey(privateKey);
    String declared = file.getAddress();
    if (declared != null && !declared.isEmpty()) {
      String digits = declared.toLowerCase(Locale.ROOT).replaceFirst("^0x", "");
      if (!key.address().lowercase().substring(2).equals(digits)) {
        key.close();
        throw new WalletKeyException(WalletKeyException.Reason.MALFORMED_KEYSTORE,
            "the keystore names address 0x" + digits + " but its key is " + key.address());
      }
    }
    return key;
  }
}
