package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.chain.EcdsaSignature;
import io.chainseal.chain.SignerException;
import io.chainseal.core.EvmAddress;
import io.chainseal.core.Hash32;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HdWalletTest {
  private static final String ANVIL = "test test test test test test test test test test test junk";

  @Test
  void derivesTheWellKnownDevelopmentAccounts() throws Exception {
    try (HdWallet wallet = HdWallet.of(Mnemonic.parse(ANVIL))) {
      // Hardhat's and Anvil's published default accounts 0 and 1, and account 0's private key.
      try (WalletKey first = wallet.account(0)) {
        assertEquals(EvmAddress.fromHex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"), first.address());
        assertArrayEquals(HexFormat.of().parseHex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"), first.exportSecret());
      }
      assertEquals(EvmAddress.fromHex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), wallet.account(1).address());
    }
    assertEquals("m/44'/60'/0'/0/7", HdWallet.path(7));
  }

  @Test
  void passphraseGivesOtherAccounts() throws Exception {
    Mnemonic mnemonic = Mnemonic.parse(ANVIL);
    try (HdWallet plain = HdWallet.of(mnemonic); HdWallet salted = HdWallet.of(mnemonic, "correct horse")) {
      assertNotEquals(plain.account(0).address(), salted.account(0).address());
    }
  }

  @Test
  void refusesNegativeIndexAndUseAfterClose() throws Exception {
    HdWallet wallet = HdWallet.of(Mnemonic.parse(ANVIL));
    assertThrows(IllegalArgumentException.class, () -> wallet.account(-1));
    WalletKey kept = wallet.account(2);
    wallet.close();
    assertThrows(IllegalStateException.class, () -> wallet.account(0));
    assertEquals("HdWallet[closed]", wallet.toString());
    // A key derived before keeps working until it is closed itself.
    Hash32 digest = sha256(new byte[] {1, 2, 3});
    assertEquals(kept.address(), kept.signChecked(digest).recover(digest).orElseThrow());
    kept.close();
    assertTrue(kept.isClosed());
    assertThrows(SignerException.class, () -> kept.signDigest(digest));
  }

  @Test
  void keysShowOnlyTheirAddress() throws Exception {
    try (HdWallet wallet = HdWallet.of(Mnemonic.parse(ANVIL)); WalletKey key = wallet.account(0)) {
      assertEquals("WalletKey[" + key.address() + "]", key.toString());
      assertFalse(wallet.toString().contains("test"));
      assertFalse(key.toString().toLowerCase().contains("ac0974be"));
    }
  }

  @Test
  void signaturesRecoverToTheAccountWithLowS() throws Exception {
    try (HdWallet wallet = HdWallet.of(Mnemonic.parse(ANVIL)); WalletKey key = wallet.account(3)) {
      for (int i = 0; i < 50; i++) {
        Hash32 digest = sha256(new byte[] {(byte) i});
        EcdsaSignature signature = key.signDigest(digest);
        assertTrue(signature.isLowS());
        assertEquals(key.address(), signature.recover(digest).orElseThrow());
        assertNotEquals(key.address(), signature.recover(sha256(new byte[] {(byte) i, 1})).orElse(null));
      }
    }
  }

  static Hash32 sha256(byte[] data) {
    try {
      return Hash32.of(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
