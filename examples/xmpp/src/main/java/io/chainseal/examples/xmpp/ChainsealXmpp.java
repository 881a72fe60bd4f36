package io.chainseal.examples.xmpp;

import io.chainseal.anchor.ProvenanceResult;
import io.chainseal.anchor.ProvenanceVerifier;
import io.chainseal.core.FormatException;
import io.chainseal.core.MessageEnvelope;
import io.chainseal.core.MessageProof;
import io.chainseal.core.MessageRef;
import io.chainseal.core.ProofCodec;
import io.chainseal.core.Salt;
import io.chainseal.core.SaltedEnvelope;
import io.chainseal.core.SignerId;
import io.chainseal.core.SigningKey;
import io.chainseal.governance.SignedVote;
import io.chainseal.host.Chainseal;
import io.chainseal.host.Outgoing;
import io.chainseal.wallet.PaymentReceipt;
import io.chainseal.wallet.PaymentVerdict;
import io.chainseal.wallet.PaymentVerifier;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jivesoftware.smack.ConnectionConfiguration;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One XMPP account with Chainseal: messages it sends carry a proof reference
 * ({@link ChainsealElement#MESSAGE}) and are followed by their proof once anchored
 * ({@link ChainsealElement#PROOF}); messages it receives are verified as soon as both have arrived, with
 * its own trust settings, and the verdict goes to its {@link Listener} — a body changed in transit is
 * {@code TAMPERED}. Payment receipts and votes travel as stanzas too and are checked on arrival.
 *
 * <p>A sending account holds a {@link Chainseal} (anchoring and the store); a receiving one needs only
 * a {@link ProvenanceVerifier}. Thread-safe; Smack delivers stanzas on its own threads.
 */
public final class ChainsealXmpp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChainsealXmpp.class);

  /** What arrives, checked. Called on Smack's threads. */
  public interface Listener {
    /** A message and its proof arrived; {@code verdict} says whether it is what was anchored, by whom, and when. */
    default void onMessage(String from, MessageEnvelope envelope, ProvenanceResult verdict) {}

    /** A payment receipt arrived and was checked on chain. */
    default void onPaymentReceipt(String from, PaymentReceipt receipt, PaymentVerdict verdict) {}

    /** A signed vote arrived (counting it, with the proposal's rules, is the group's business). */
    default void onVote(String from, SignedVote vote) {}

    /** A Chainseal element that could not be read. */
    default void onMalformed(String from, String problem) {}
  }

  private final XMPPTCPConnection connection;
  private final @Nullable Chainseal chainseal;
  private final ProvenanceVerifier verifier;
  private final @Nullable PaymentVerifier payments;
  private final Listener listener;
  /** Who each sent message went to: its proof goes to them too. */
  private final Map<MessageRef, List<String>> recipients = new ConcurrentHashMap<>();
  /** Received messages and proofs waiting for each other, by sender and ids. */
  private final Map<String, SaltedEnvelope> waitingMessages = new ConcurrentHashMap<>();
  private final Map<String, MessageProof> waitingProofs = new ConcurrentHashMap<>();

  private ChainsealXmpp(XMPPTCPConnection connection, @Nullable Chainseal chainseal, ProvenanceVerifier verifier,
      @Nullable PaymentVerifier payments, Listener listener) {
    this.connection = connection;
    this.chainseal = chainseal;
    this.verifier = verifier;
    this.payments = payments;
    this.listener = listener;
  }

  /**
   * Connects and logs in as {@code user@domain} on {@code host:port}, without TLS — for a server on
   * loopback, as in the tests; a real deployment keeps Smack's default (TLS required).
   *
   * @param chainseal anchors what this account sends; null for an account that only receives
   * @param verifier checks what this account receives
   * @param payments checks payment receipts sent to this account; null to ignore them
   */
  public static ChainsealXmpp connect(String host, int port, String domain, String user, String password,
      @Nullable Chainseal chainseal, ProvenanceVerifier verifier, @Nullable PaymentVerifier payments, Listener listener)
      throws IOException, InterruptedException, SmackException, XMPPException {
    for (String name : ChainsealElement.NAMES) {
      ProviderManager.addExtensionProvider(name, ChainsealElement.NAMESPACE, new ChainsealElement.Provider());
    }
    XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
        .setXmppDomain(domain).setHostAddress(InetAddress.getByName(host)).setPort(port)
        .setUsernameAndPassword(user, password).setResource("chainseal")
        .setSecurityMode(ConnectionConfiguration.SecurityMode.disabled).build();
    XMPPTCPConnection connection = new XMPPTCPConnection(config);
    ChainsealXmpp xmpp = new ChainsealXmpp(connection, chainseal, verifier, payments, listener);
    connection.addAsyncStanzaListener(xmpp::received, StanzaTypeFilter.MESSAGE);
    connection.connect().login();
    if (chainseal != null) {
      chainseal.onProofReady(xmpp::proofReady);
    }
    return xmpp;
  }

  /**
   * Sends {@code envelope}'s text to each of {@code to} (bare JIDs) with its proof reference, anchors it
   * through the {@link Chainseal}, and sends its proof to them when it is ready.
   *
   * @throws IllegalStateException if this account has no {@link Chainseal}, or the envelope's content is not text
   */
  public Outgoing send(List<String> to, MessageEnvelope envelope, @Nullable SigningKey senderKey)
      throws IOException, InterruptedException, SmackException.NotConnectedException {
    if (chainseal == null) {
      throw new IllegalStateException("this account only receives: it has no Chainseal to anchor with");
    }
    String body = envelope.text().orElseThrow(() -> new IllegalStateException("only text messages travel as XMPP bodies here"));
    if (!envelope.headers().isEmpty() || !envelope.attachments().isEmpty() || envelope.replyTo().isPresent()
        || envelope.forwardedFrom().isPresent()) {
      throw new IllegalStateException("this example carries text, ids, sender and time: no headers, attachments or references");
    }
    Outgoing out = chainseal.onOutgoing(envelope, senderKey);
    recipients.put(out.ref(), List.copyOf(to));
    for (String recipient : to) {
      connection.sendStanza(stanza(recipient, body, reference(envelope, out.salt())));
    }
    return out;
  }

  /** The proof reference of {@code envelope} with its {@code salt}: what the recipient needs besides the body. */
  public static ChainsealElement reference(MessageEnvelope envelope, Salt salt) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("conversation", envelope.conversationId());
    attributes.put("id", envelope.messageId());
    attributes.put("sender", envelope.senderId());
    envelope.senderKey().ifPresent(key -> attributes.put("sender-key", key.toText()));
    attributes.put("time", Long.toString(envelope.timestamp().toEpochMilli()));
    attributes.put("salt", salt.toHex());
    return new ChainsealElement(ChainsealElement.MESSAGE, attributes, "");
  }

  /** A message stanza to {@code to} with {@code body} and {@code extension}. */
  public Message stanza(String to, @Nullable String body, ExtensionElement extension) throws IOException {
    Jid jid = JidCreate.from(to);
    org.jivesoftware.smack.packet.MessageBuilder message = connection.getStanzaFactory().buildMessageStanza().to(jid);
    if (body != null) {
      message.setBody(body);
    }
    return message.addExtension(extension).build();
  }

  /** Sends {@code receipt} to {@code to}, who checks it on chain. */
  public void sendPaymentReceipt(String to, PaymentReceipt receipt)
      throws IOException, InterruptedException, SmackException.NotConnectedException {
    connection.sendStanza(stanza(to, "paid: " + receipt.amount() + " (" + receipt.paymentId() + ")",
        new ChainsealElement(ChainsealElement.PAYMENT_RECEIPT, Map.of(), receipt.toJson())));
  }

  /** Sends {@code vote} to {@code to} (the member who keeps the group's count). */
  public void sendVote(String to, SignedVote vote) throws IOException, InterruptedException, SmackException.NotConnectedException {
    connection.sendStanza(stanza(to, "voted", new ChainsealElement(ChainsealElement.VOTE, Map.of(), vote.toJson())));
  }

  /** The Smack connection (for stanzas of the application's own). */
  public XMPPTCPConnection connection() {
    return connection;
  }

  private void proofReady(MessageRef ref, MessageProof proof) {
    List<String> to = recipients.remove(ref);
    if (to == null) {
      return;
    }
    ChainsealElement element = new ChainsealElement(ChainsealElement.PROOF,
        Map.of("conversation", ref.conversationId(), "id", ref.messageId()), ProofCodec.toJson(proof));
    for (String recipient : to) {
      try {
        connection.sendStanza(stanza(recipient, null, element));
      } catch (IOException | SmackException.NotConnectedException e) {
        log.warn("the proof of {}/{} could not be sent to {}: {}", ref.conversationId(), ref.messageId(), recipient, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void received(Stanza stanza) {
    if (!(stanza instanceof Message message) || message.getFrom() == null) {
      return;
    }
    String from = message.getFrom().asBareJid().toString();
    for (ExtensionElement extension : message.getExtensions()) {
      if (!(extension instanceof ChainsealElement element)) {
        continue;
      }
      try {
        if (element.attribute("oversized") != null) {
          throw new FormatException(element.name(), "larger than " + ChainsealElement.MAX_TEXT + " characters");
        }
        switch (element.name()) {
          case ChainsealElement.MESSAGE -> message(from, element, message.getBody());
          case ChainsealElement.PROOF -> proof(from, element);
          case ChainsealElement.PAYMENT_RECEIPT -> paymentReceipt(from, element);
          case ChainsealElement.VOTE -> listener.onVote(from, SignedVote.fromJson(element.text()));
          default -> listener.onMalformed(from, "unknown element " + element.name());
        }
      } catch (FormatException | RuntimeException e) {
        listener.onMalformed(from, element.name() + ": " + e.getMessage());
      }
    }
  }

  private void message(String from, ChainsealElement reference, @Nullable String body) throws FormatException {
    if (body == null) {
      throw new FormatException("body", "a message reference without a body");
    }
    MessageEnvelope.Builder envelope = MessageEnvelope.builder().conversationId(required(reference, "conversation"))
        .messageId(required(reference, "id")).senderId(required(reference, "sender"));
    String key = reference.attribute("sender-key");
    if (key != null) {
      envelope.senderKey(SignerId.parse(key));
    }
    try {
      envelope.timestamp(Instant.ofEpochMilli(Long.parseLong(required(reference, "time")))).text(body);
    } catch (NumberFormatException e) {
      throw new FormatException("time", "not a number of milliseconds");
    }
    MessageEnvelope built = envelope.build();
    String slot = slot(from, built.conversationId(), built.messageId());
    waitingMessages.put(slot, new SaltedEnvelope(built, Salt.fromHex(required(reference, "salt"))));
    verifyIfComplete(from, slot);
  }

  private void proof(String from, ChainsealElement element) throws FormatException {
    String slot = slot(from, required(element, "conversation"), required(element, "id"));
    waitingProofs.put(slot, ProofCodec.parse(element.text()));
    verifyIfComplete(from, slot);
  }

  private void verifyIfComplete(String from, String slot) {
    SaltedEnvelope message;
    MessageProof proof;
    synchronized (this) {
      if (!waitingMessages.containsKey(slot) || !waitingProofs.containsKey(slot)) {
        return;
      }
      message = waitingMessages.remove(slot);
      proof = waitingProofs.remove(slot);
    }
    listener.onMessage(from, message.envelope(), verifier.verify(message.envelope(), message.salt(), proof));
  }

  private void paymentReceipt(String from, ChainsealElement element) throws FormatException {
    PaymentReceipt receipt = PaymentReceipt.fromJson(element.text());
    if (payments == null) {
      listener.onMalformed(from, "a payment receipt, and no payment verifier here");
      return;
    }
    listener.onPaymentReceipt(from, receipt, payments.verify(receipt));
  }

  /** Where a message and its proof from {@code from} meet (the sender is part of it: no one can answer for another). */
  private static String slot(String from, String conversation, String id) {
    return from.length() + ":" + from + conversation.length() + ":" + conversation + id;
  }

  private static String required(ChainsealElement element, String name) throws FormatException {
    String value = element.attribute(name);
    if (value == null || value.isEmpty()) {
      throw new FormatException(name, "missing in <" + element.name() + ">");
    }
    return value;
  }

  /** Disconnects (the {@link Chainseal}, if any, is the caller's to close). */
  @Override
  public void close() {
    connection.disconnect();
  }

  @Override
  public String toString() {
    return "ChainsealXmpp[" + connection.getUser() + "]";
  }
}
