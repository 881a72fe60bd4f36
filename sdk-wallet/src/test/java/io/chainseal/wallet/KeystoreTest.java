package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeystoreTest {
  private static final char[] PASSWORD = "hunter2 but longer".toCharArray();
  private static WalletKey key;
  private static String json;

  @BeforeAll
  static void encryptOnce() throws Exception {
    key = HdWallet.of(Mnemonic.parse("test test test test test test test test test test test junk")).account(4);
    json = Keystore.encrypt(key, PASSWORD, Keystore.Strength.LIGHT);
  }

  @Test
  void roundTripsThroughAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("key.json");
    Keystore.save(key, PASSWORD, Keystore.Strength.LIGHT, file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    try (WalletKey loaded = Keystore.load(file, PASSWORD)) {
      assertEquals(key.address(), loaded.address());
      assertEquals(java.util.HexFormat.of().formatHex(key.exportSecret()), java.util.HexFormat.of().formatHex(loaded.exportSecret()));
    }
    String text = Files.readString(file);
    assertTrue(text.contains("\"version\":3"), text);
    assertFalse(text.contains(java.util.HexFormat.of().formatHex(key.exportSecret())), "the key must not be stored in the clear");
  }

  @Test
  void lightStrengthWritesScryptParameters() throws Exception {
    ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(json);
    assertEquals("scrypt", tree.path("crypto").path("kdf").asText());
    assertEquals(4096, tree.path("crypto").path("kdfparams").path("n").asInt());
  }

  @Test
  void wrongPasswordIsAClearError() {
    WalletKeyException e = assertThrows(WalletKeyException.class, () -> Keystore.decrypt(json, "hunter3".toCharArray()));
    assertEquals(WalletKeyException.Reason.WRONG_PASSWORD, e.reason());
    assertEquals("wrong password for the keystore", e.getMessage());
  }

  @Test
  void malformedFilesAreNamed(@TempDir Path dir) throws Exception {
    assertEquals(WalletKeyException.Reason.MALFORMED_KEYSTORE,
        assertThrows(WalletKeyException.class, () -> Keystore.decrypt("{not json", PASSWORD)).reason());
    assertEquals(WalletKeyException.Reason.MALFORMED_KEYSTORE,
        assertThrows(WalletKeyException.class, () -> Keystore.decrypt("{\"version\":3}", PASSWORD)).reason());
    ObjectNode noParams = (ObjectNode) new ObjectMapper().readTree(json);
    ((ObjectNode) noParams.path("crypto")).remove("kdfparams");
    assertEquals(WalletKeyException.Reason.MALFORMED_KEYSTORE,
        assertThrows(WalletKeyException.class, () -> Keystore.decrypt(noParams.toString(), PASSWORD)).reason());
    // A corrupted MAC cannot be told from a wrong password: both are a MAC mismatch.
    ObjectNode badMac = (ObjectNode) new ObjectMapper().readTree(json);
    ((ObjectNode) badMac.path("crypto")).put("mac", "00".repeat(32));
    assertEquals(WalletKeyException.Reason.WRONG_PASSWORD,
        assertThrows(WalletKeyException.class, () -> Keystore.decrypt(badMac.toString(), PASSWORD)).reason());
    WalletKeyException missing = assertThrows(WalletKeyException.class, () -> Keystore.load(dir.resolve("absent.json"), PASSWORD));
    assertEquals(WalletKeyException.Reason.IO, missing.reason());
  }

  @Test
  void refusesAKeystoreWhoseAddressIsNotItsKey() throws Exception {
    ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(json);
    tree.put("address", "70997970c51812dc3a010c7d01b50e0d17dc79c8");
    WalletKeyException e = assertThrows(WalletKeyException.class, () -> Keystore.decrypt(tree.toString(), PASSWORD));
    assertEquals(WalletKeyException.Reason.MALFORMED_KEYSTORE, e.reason());
    assertTrue(e.getMessage().contains("70997970c51812dc3a010c7d01b50e0d17dc79c8"), e.getMessage());
  }

  @Test
  void refusesOtherVersionsAndKdfs() throws Exception {
    ObjectNode version = (ObjectNode) new ObjectMapper().readTree(json);
    version.put("version", 1);
    assertEquals(WalletKeyException.Reason.UNSUPPORTED_KEYSTORE,
        assertThrows(WalletKeyException.class, () -> Keystore.decrypt(version.toString(), PASSWORD)).reason());
    ObjectNode cipher = (ObjectNode) new ObjectMapper().readTree(json);
    ((ObjectNode) cipher.path("crypto")).put("cipher", "aes-256-gcm");
    assertEquals(WalletKeyException.Reason.UNSUPPORTED_KEYSTORE,
        assertThrows(WalletKeyException.class, () -> Keystore.decrypt(cipher.toString(), PASSWORD)).reason());
  }

  @Test
  void errorsNeverCarryThePassword() {
    WalletKeyException e = assertThrows(WalletKeyException.class, () -> Keystore.decrypt(json, "topsecretpw".toCharArray()));
    assertFalse(String.valueOf(e.getMessage()).contains("topsecretpw"));
    assertFalse(String.valueOf(e.getCause()).contains("topsecretpw"));
  }
}
