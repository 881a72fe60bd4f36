package io.chainseal.examples.xmpp;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.util.XmlStringBuilder;
import org.jivesoftware.smack.xml.XmlPullParser;
import org.jivesoftware.smack.xml.XmlPullParserException;
import org.jspecify.annotations.Nullable;

/**
 * Chainseal's stanza extensions, all in the namespace {@value #NAMESPACE}:
 *
 * <ul>
 *   <li>{@code <message conversation id sender sender-key? time salt/>} beside a message's body: what the
 *       recipient needs, with the body, to rebuild the envelope and check it against its proof;
 *   <li>{@code <proof conversation id>proof JSON</proof>}: the anchored proof, sent when it is ready;
 *   <li>{@code <payment-receipt>receipt JSON</payment-receipt>}: a payer's claim, checked on chain by the recipient;
 *   <li>{@code <vote>signed vote JSON</vote>}: a member's EIP-712-signed vote.
 * </ul>
 *
 * @param name the element's name (one of the four above)
 * @param attributes its attributes (written in name order)
 * @param text its text content (empty for {@code message})
 */
public record ChainsealElement(String name, Map<String, String> attributes, String text) implements ExtensionElement {
  /** The namespace of every Chainseal element. */
  public static final String NAMESPACE = "urn:chainseal:xmpp:0";
  /** The element names. */
  public static final String MESSAGE = "message";
  public static final String PROOF = "proof";
  public static final String PAYMENT_RECEIPT = "payment-receipt";
  public static final String VOTE = "vote";
  static final Set<String> NAMES = Set.of(MESSAGE, PROOF, PAYMENT_RECEIPT, VOTE);
  /** The most text one element may carry (a proof of a large batch is a few kilobytes). */
  static final int MAX_TEXT = 64 * 1024;

  public ChainsealElement {
    Objects.requireNonNull(name, "name == null");
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("not a Chainseal element: " + name);
    }
    attributes = Map.copyOf(attributes);
    Objects.requireNonNull(text, "text == null");
  }

  /** The attribute {@code name}, or null. */
  public @Nullable String attribute(String name) {
    return attributes.get(name);
  }

  @Override
  public String getNamespace() {
    return NAMESPACE;
  }

  @Override
  public String getElementName() {
    return name;
  }

  @Override
  public CharSequence toXML(XmlEnvironment enclosing) {
    XmlStringBuilder xml = new XmlStringBuilder(this, enclosing);
    attributes.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(a -> xml.attribute(a.getKey(), a.getValue()));
    if (text.isEmpty()) {
      return xml.closeEmptyElement();
    }
    return xml.rightAngleBracket().escape(text).closeElement(this);
  }

  /** Parses every Chainseal element (register it for each name with Smack's {@code ProviderManager}). */
  public static final class Provider extends ExtensionElementProvider<ChainsealElement> {
    @Override
    public ChainsealElement parse(XmlPullParser parser, int initialDepth, XmlEnvironment environment)
        throws XmlPullParserException, IOException {
      String name = parser.getName();
      Map<String, String> attributes = new LinkedHashMap<>();
      for (int i = 0; i < parser.getAttributeCount(); i++) {
        attributes.put(parser.getAttributeName(i), parser.getAttributeValue(i));
      }
      String text = parser.nextText();
      if (text.length() > MAX_TEXT) {
        text = ""; // too large to be ours: the receiver reports it as malformed
        attributes.put("oversized", "true");
      }
      return new ChainsealElement(name, attributes, text);
    }
  }
}
