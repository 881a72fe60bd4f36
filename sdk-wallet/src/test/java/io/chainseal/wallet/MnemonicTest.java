package io.chainseal.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MnemonicTest {
  private static final String ABANDON_ABOUT = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

  @Test
  void seedMatchesTheBip39ReferenceVectorWithPassphrase() throws Exception {
    // BIP-39 reference vectors (trezor/python-mnemonic vectors.json), passphrase "TREZOR".
    assertEquals("c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04",
        HexFormat.of().formatHex(Mnemonic.parse(ABANDON_ABOUT).seed("TREZOR")));
    assertEquals("2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607",
        HexFormat.of().formatHex(Mnemonic.parse("legal winner thank year wave sausage worth useful legal winner thank yellow").seed("TREZOR")));
  }

  @Test
  void passphraseChangesTheSeed() throws Exception {
    Mnemonic mnemonic = Mnemonic.parse(ABANDON_ABOUT);
    assertNotEquals(HexFormat.of().formatHex(mnemonic.seed("")), HexFormat.of().formatHex(mnemonic.seed("TREZOR")));
  }

  @Test
  void parseAcceptsExtraWhiteSpaceAndCapitals() throws Exception {
    Mnemonic parsed = Mnemonic.parse("  Abandon abandon\tabandon abandon abandon abandon\nabandon abandon abandon abandon abandon ABOUT \n");
    assertEquals(ABANDON_ABOUT, parsed.phrase());
    assertEquals(12, parsed.size());
  }

  @Test
  void rejectsAWrongNumberOfWords() {
    WalletKeyException e = assertThrows(WalletKeyException.class, () -> Mnemonic.parse("abandon abandon about"));
    assertEquals(WalletKeyException.Reason.INVALID_MNEMONIC, e.reason());
    assertTrue(e.getMessage().contains("this one has 3"), e.getMessage());
    assertEquals(WalletKeyException.Reason.INVALID_MNEMONIC, assertThrows(WalletKeyException.class, () -> Mnemonic.parse("")).reason());
  }

  @Test
  void rejectsAnUnknownWordByPositionWithoutEchoingIt() {
    WalletKeyException e = assertThrows(WalletKeyException.class,
        () -> Mnemonic.parse(ABANDON_ABOUT.replaceFirst("abandon abandon abandon", "abandon abandon zzsecretzz")));
    assertEquals(WalletKeyException.Reason.INVALID_MNEMONIC, e.reason());
    assertTrue(e.getMessage().contains("word 3"), e.getMessage());
    assertFalse(e.getMessage().contains("zzsecretzz"), e.getMessage());
  }

  @Test
  void rejectsAFailingChecksum() {
    WalletKeyException e = assertThrows(WalletKeyException.class, () -> Mnemonic.parse(ABANDON_ABOUT.replace("about", "abandon")));
    assertEquals(WalletKeyException.Reason.INVALID_MNEMONIC, e.reason());
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    assertFalse(e.getMessage().contains("abandon"), e.getMessage());
  }

  @Test
  void generatedMnemonicsParseBackAndDiffer() throws Exception {
    SecureRandom random = new SecureRandom();
    for (int words : new int[] {12, 15, 18, 21, 24}) {
      Mnemonic generated = Mnemonic.generate(words, random);
      assertEquals(words, generated.size());
      assertEquals(generated, Mnemonic.parse(generated.phrase()));
    }
    assertNotEquals(Mnemonic.generate(12, random), Mnemonic.generate(12, random));
    assertThrows(IllegalArgumentException.class, () -> Mnemonic.generate(13, random));
  }

  @Test
  void toStringShowsNoWord() throws Exception {
    Mnemonic mnemonic = Mnemonic.parse(ABANDON_ABOUT);
    assertEquals("Mnemonic[12 words]", mnemonic.toString());
  }
}
