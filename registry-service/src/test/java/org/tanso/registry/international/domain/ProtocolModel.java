package org.tanso.registry.international.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A sending registry and a receiving registry that act only on the Steps of {@link SendingSide} and
 * {@link ReceivingSide}, joined by a network of messages in flight. Each handled message is one
 * transaction with the messages it sends (the outbox): a message stays in flight until the side
 * that handles it commits and acknowledges it, so the network can deliver any message in flight
 * (reordering, delay), deliver it again (duplication, a crash after commit), or lose a delivery (a
 * drop or a crash before commit, redelivered later). Messages enter the network only when the step
 * that sends them commits, which is all the causality there is.
 *
 * <p>{@link #violations()} lists every broken invariant since the start; the tests check it after
 * every step, so a counterexample stops where it first goes wrong.
 */
final class ProtocolModel {

  enum SenderUnit {
    ACTIVE,
    RESERVED,
    TRANSFERRED_OUT
  }

  sealed interface Message {
    int transfer();
  }

  /** Sender → receiver. */
  record Proposed(int transfer, Set<Integer> units) implements Message {}

  /** Receiver → sender. */
  record Answered(int transfer, boolean accepted, String code) implements Message {}

  /** Sender → receiver; carries the units, as TransferCompleted does. */
  record Completed(int transfer, Set<Integer> units) implements Message {}

  /** Sender → receiver. */
  record Terminated(int transfer) implements Message {}

  /** The sender's record of one transfer. */
  static final class Transfer {
    final int id;
    final Set<Integer> units;
    TransferStatus status = TransferStatus.PROPOSED;
    String terminationCode;
    final List<Boolean> lateAnswers = new ArrayList<>();
    boolean answerReachedSenderInTime;

    Transfer(int id, Set<Integer> units) {
      this.id = id;
      this.units = units;
    }
  }

  final SenderUnit[] senderUnits;
  final int[] reservedBy;
  final List<Transfer> transfers = new ArrayList<>();

  final Map<Integer, TransferStatus> receiverStatus = new HashMap<>();
  final Map<Integer, String> receiverCode = new HashMap<>();
  final Set<Integer> receiverSawProposal = new HashSet<>();
  final Set<Integer> receiverActive = new TreeSet<>();
  final Set<Integer> receiverCreatedFor = new HashSet<>();

  final List<Message> inFlight = new ArrayList<>();

  /**
   * Per transfer, which of TransferCompleted and TransferTerminated the sender ever sent: never
   * both.
   */
  final Map<Integer, Set<String>> outcomesSent = new HashMap<>();

  final List<Message> deadLetters = new ArrayList<>();
  final List<String> trace = new ArrayList<>();
  private final Set<String> violations = new java.util.LinkedHashSet<>();

  Object lastStep;
  int redeliveries;
  int crashes;

  ProtocolModel(int units) {
    senderUnits = new SenderUnit[units];
    reservedBy = new int[units];
    for (int u = 0; u < units; u++) {
      senderUnits[u] = SenderUnit.ACTIVE;
      reservedBy[u] = -1;
    }
  }

  // ---- what happens ----

  /**
   * The sender proposes the units (they must be ACTIVE there): reserves them and sends
   * TransferProposed.
   */
  int propose(Set<Integer> units) {
    int id = transfers.size();
    for (int u : units) {
      if (senderUnits[u] != SenderUnit.ACTIVE) {
        throw new IllegalArgumentException("unit " + u + " is not ACTIVE in the sender");
      }
      senderUnits[u] = SenderUnit.RESERVED;
      reservedBy[u] = id;
    }
    Transfer t = new Transfer(id, Set.copyOf(new TreeSet<>(units)));
    transfers.add(t);
    send(new Proposed(id, t.units));
    trace.add("sender proposes T" + id + " " + new TreeSet<>(units));
    check();
    return id;
  }

  /**
   * Delivers the message in flight at {@code index}. {@code ack}: the handler commits and the
   * message leaves the network; otherwise it committed but the acknowledgement was lost (or the
   * network duplicated it) and it will come again.
   *
   * @param refusal what the receiver's checks say of a proposal (null: it passes)
   */
  void deliver(int index, boolean ack, String refusal) {
    Message m = inFlight.get(index);
    trace.add(
        (ack ? "deliver " : "deliver, not acknowledged (comes again) ")
            + m
            + (m instanceof Proposed && refusal != null ? " checks refuse " + refusal : ""));
    if (ack) {
      inFlight.remove(index);
    } else {
      redeliveries++;
    }
    if (m instanceof Proposed p) {
      receiverOnProposed(p, refusal);
    } else if (m instanceof Completed c) {
      receiverOnCompleted(c);
    } else if (m instanceof Terminated t) {
      receiverOnTerminated(t);
    } else {
      senderOnAnswer((Answered) m);
    }
    check();
  }

  /**
   * The side handling the message at {@code index} crashes before it commits: nothing changes, the
   * message stays.
   */
  void crashWhileHandling(int index) {
    Message m = inFlight.get(index);
    // the step is computed and thrown away with the rolled-back transaction
    if (m instanceof Answered a) {
      SendingSide.onAnswer(transfers.get(a.transfer()).status, a.accepted(), a.code());
    }
    crashes++;
    trace.add("crash while handling " + m + " (rolled back, redelivered later)");
    check();
  }

  /** The network loses one copy of the message; the outbox resends it. */
  void drop(int index) {
    Message m = inFlight.remove(index);
    inFlight.add(m);
    trace.add("network drops " + m + " (resent later)");
  }

  /** The sender's timer for the transfer fires. */
  void timeout(int transfer) {
    Transfer t = transfers.get(transfer);
    SendingSide.Step step = SendingSide.onTimeout(t.status);
    trace.add("timeout T" + transfer + " at " + t.status + " -> " + step);
    applySender(t, step, null);
    check();
  }

  /** Delivers everything in flight, first in first out, with no faults and every check passing. */
  void deliverEverything() {
    for (int guard = 0; !inFlight.isEmpty(); guard++) {
      if (guard > 10_000) {
        violations.add("the network never empties: " + inFlight);
        return;
      }
      deliver(0, true, null);
    }
  }

  // ---- the sender ----

  private void senderOnAnswer(Answered a) {
    Transfer t = transfers.get(a.transfer());
    SendingSide.Step step = SendingSide.onAnswer(t.status, a.accepted(), a.code());
    trace.add("  sender T" + t.id + " at " + t.status + " -> " + step);
    if (t.status == TransferStatus.PROPOSED) {
      t.answerReachedSenderInTime = true;
    }
    applySender(t, step, a);
  }

  private void applySender(Transfer t, SendingSide.Step step, Answered answer) {
    lastStep = step;
    if (step instanceof SendingSide.Complete) {
      for (int u : t.units) {
        senderUnits[u] = SenderUnit.TRANSFERRED_OUT;
        reservedBy[u] = -1;
      }
      t.status = TransferStatus.COMPLETED;
      send(new Completed(t.id, t.units));
    } else if (step instanceof SendingSide.Terminate term) {
      for (int u : t.units) {
        senderUnits[u] = SenderUnit.ACTIVE;
        reservedBy[u] = -1;
      }
      t.status = TransferStatus.TERMINATED;
      t.terminationCode = term.code();
      send(new Terminated(t.id));
    } else if (step instanceof SendingSide.Late && answer != null) {
      t.lateAnswers.add(answer.accepted());
    }
    // Nothing: nothing
  }

  // ---- the receiver ----

  private void receiverOnProposed(Proposed p, String refusal) {
    TransferStatus status = receiverStatus.get(p.transfer());
    ReceivingSide.Step step = ReceivingSide.onProposed(status, refusal);
    trace.add("  receiver T" + p.transfer() + " at " + status + " -> " + step);
    lastStep = step;
    if (step instanceof ReceivingSide.Answer a) {
      receiverSawProposal.add(p.transfer());
      receiverStatus.put(
          p.transfer(), a.accepted() ? TransferStatus.ACCEPTED : TransferStatus.REJECTED);
      receiverCode.put(p.transfer(), a.code());
      send(new Answered(p.transfer(), a.accepted(), a.code()));
    } else if (step instanceof ReceivingSide.RepeatAnswer r) {
      send(
          new Answered(
              p.transfer(),
              r.answered() == TransferStatus.ACCEPTED,
              receiverCode.get(p.transfer())));
    } else if (step instanceof ReceivingSide.Violation) {
      deadLetters.add(p);
    } else if (!(step instanceof ReceivingSide.Ignore)) {
      violations.add("onProposed gave " + step);
    }
  }

  private void receiverOnCompleted(Completed c) {
    TransferStatus status = receiverStatus.get(c.transfer());
    ReceivingSide.Step step = ReceivingSide.onCompleted(status);
    trace.add("  receiver T" + c.transfer() + " at " + status + " -> " + step);
    lastStep = step;
    if (step instanceof ReceivingSide.CreateUnits) {
      for (int u : c.units()) {
        if (!receiverActive.add(u)) {
          violations.add("unit " + u + " created twice in the receiver (T" + c.transfer() + ")");
        }
      }
      receiverCreatedFor.add(c.transfer());
      receiverStatus.put(c.transfer(), TransferStatus.COMPLETED);
    } else if (step instanceof ReceivingSide.Violation) {
      deadLetters.add(c);
    } else if (!(step instanceof ReceivingSide.Ignore)) {
      violations.add("onCompleted gave " + step);
    }
  }

  private void receiverOnTerminated(Terminated t) {
    TransferStatus status = receiverStatus.get(t.transfer());
    ReceivingSide.Step step = ReceivingSide.onTerminated(status);
    trace.add("  receiver T" + t.transfer() + " at " + status + " -> " + step);
    lastStep = step;
    if (step instanceof ReceivingSide.RecordTermination) {
      receiverStatus.put(t.transfer(), TransferStatus.TERMINATED);
    } else if (step instanceof ReceivingSide.Violation) {
      deadLetters.add(t);
    } else if (!(step instanceof ReceivingSide.Ignore)) {
      violations.add("onTerminated gave " + step);
    }
  }

  private void send(Message m) {
    inFlight.add(m);
    if (m instanceof Completed || m instanceof Terminated) {
      outcomesSent
          .computeIfAbsent(m.transfer(), k -> new HashSet<>())
          .add(m.getClass().getSimpleName());
    }
  }

  // ---- invariants ----

  /** What must hold at every moment. */
  void check() {
    for (int u = 0; u < senderUnits.length; u++) {
      boolean inReceiver = receiverActive.contains(u);
      SenderUnit s = senderUnits[u];
      if (s == SenderUnit.ACTIVE && inReceiver) {
        violations.add("unit " + u + " is ACTIVE in both registries");
      }
      if (s == SenderUnit.RESERVED && inReceiver) {
        violations.add(
            "unit " + u + " is ACTIVE in the receiver while still reserved in the sender");
      }
      if (s == SenderUnit.RESERVED
          && (reservedBy[u] < 0
              || transfers.get(reservedBy[u]).status != TransferStatus.PROPOSED)) {
        violations.add(
            "unit " + u + " is reserved by T" + reservedBy[u] + ", which is not PROPOSED");
      }
      if (s == SenderUnit.TRANSFERRED_OUT && !inReceiver && !inFlightToBeCreated(u)) {
        violations.add(
            "unit "
                + u
                + " is lost: TRANSFERRED_OUT, not in the receiver, no TransferCompleted in flight that will create it");
      }
    }
    for (Transfer t : transfers) {
      TransferStatus r = receiverStatus.get(t.id);
      if (r == TransferStatus.COMPLETED && t.status != TransferStatus.COMPLETED) {
        violations.add(
            "T" + t.id + " COMPLETED in the receiver but " + t.status + " in the sender");
      }
      if (r == TransferStatus.TERMINATED && t.status != TransferStatus.TERMINATED) {
        violations.add(
            "T" + t.id + " TERMINATED in the receiver but " + t.status + " in the sender");
      }
      if (t.status == TransferStatus.COMPLETED
          && r != TransferStatus.ACCEPTED
          && r != TransferStatus.COMPLETED) {
        violations.add(
            "T" + t.id + " COMPLETED in the sender but " + r + " in the receiver (never accepted)");
      }
      if (receiverCreatedFor.contains(t.id) && t.status != TransferStatus.COMPLETED) {
        violations.add(
            "the receiver created the units of T"
                + t.id
                + ", which is "
                + t.status
                + " in the sender");
      }
    }
    outcomesSent.forEach(
        (t, sent) -> {
          if (sent.size() > 1) {
            violations.add(
                "the sender sent both TransferCompleted and TransferTerminated for T" + t);
          }
        });
    if (!deadLetters.isEmpty()) {
      violations.add("honest registries dead-lettered " + deadLetters);
    }
  }

  private boolean inFlightToBeCreated(int unit) {
    for (Message m : inFlight) {
      if (m instanceof Completed c
          && c.units().contains(unit)
          && transfers.get(c.transfer()).status == TransferStatus.COMPLETED
          && receiverStatus.get(c.transfer()) == TransferStatus.ACCEPTED) {
        return true;
      }
    }
    return false;
  }

  /** What must hold once the network has delivered everything. */
  void checkSettled() {
    if (!inFlight.isEmpty()) {
      violations.add("still in flight: " + inFlight);
    }
    Set<Integer> completedUnits = new TreeSet<>();
    for (Transfer t : transfers) {
      TransferStatus r = receiverStatus.get(t.id);
      if (!t.status.isFinal()) {
        violations.add("T" + t.id + " is still " + t.status + " in the sender");
      }
      if (r != t.status) {
        violations.add(
            "T" + t.id + " ends " + t.status + " in the sender but " + r + " in the receiver");
      }
      if (t.status == TransferStatus.COMPLETED) {
        completedUnits.addAll(t.units);
      }
    }
    for (int u = 0; u < senderUnits.length; u++) {
      boolean inReceiver = receiverActive.contains(u);
      boolean activeInSender = senderUnits[u] == SenderUnit.ACTIVE;
      boolean gone = senderUnits[u] == SenderUnit.TRANSFERRED_OUT;
      if (!(activeInSender && !inReceiver) && !(gone && inReceiver)) {
        violations.add(
            "unit "
                + u
                + " ends "
                + senderUnits[u]
                + " in the sender, "
                + (inReceiver ? "ACTIVE" : "absent")
                + " in the receiver");
      }
    }
    if (!receiverActive.equals(completedUnits)) {
      violations.add(
          "the receiver holds "
              + receiverActive
              + " but the completed transfers moved "
              + completedUnits);
    }
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  /** For a failure message: what went wrong, then what happened. */
  String report() {
    return "violations:\n  "
        + String.join("\n  ", violations)
        + "\ntrace:\n  "
        + String.join("\n  ", trace);
  }

  // ---- helpers for scenarios ----

  int indexOf(Class<? extends Message> type, int transfer) {
    for (int i = 0; i < inFlight.size(); i++) {
      if (type.isInstance(inFlight.get(i)) && inFlight.get(i).transfer() == transfer) {
        return i;
      }
    }
    throw new AssertionError(
        "no " + type.getSimpleName() + " of T" + transfer + " in flight: " + inFlight);
  }

  long inFlightCount(Class<? extends Message> type, int transfer) {
    return inFlight.stream().filter(m -> type.isInstance(m) && m.transfer() == transfer).count();
  }

  void deliver(Class<? extends Message> type, int transfer) {
    deliver(indexOf(type, transfer), true, null);
  }

  void deliverProposal(int transfer, String refusal) {
    deliver(indexOf(Proposed.class, transfer), true, refusal);
  }

  void deliverAgainLater(Class<? extends Message> type, int transfer) {
    deliver(indexOf(type, transfer), false, null);
  }
}
