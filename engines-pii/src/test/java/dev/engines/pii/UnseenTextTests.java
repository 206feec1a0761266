package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cases from text outside the sample that once went wrong; each names what it guards against. */
class UnseenTextTests {

  @Test
  void emailWhenLocalPartHasApostropheThenWholeAddressIsOneSpan() {
    String text = "Contact: john.o'reilly@sub.example.museum today";
    assertThat(Engines.found(text, PiiTypes.EMAIL_ADDRESS)).containsExactly("9 41");
  }

  @Test
  void emailWhenQuotedThenQuotesStayOutside() {
    String text = "write to 'bob@example.com' now";
    assertThat(Engines.found(text, PiiTypes.EMAIL_ADDRESS)).containsExactly("10 25");
  }

  @Test
  void emailWhenMessageIdHeaderThenNotFlaggedButMailboxHeadersAre() {
    // Guards against flagging <uuid@host> message ids of mail dumps as addresses.
    String text =
        "From: Ana <ana.lima@example.com>\nMessage-ID: <5f1c2a90-77aa-4c1e@mail.example.com>\n"
            + "References: <a1@mail.example.com> <b2@mail.example.com>\nReply-To: <desk@example.com>";
    assertThat(Engines.found(text, PiiTypes.EMAIL_ADDRESS)).containsExactly("11 31", "150 166");
  }

  @Test
  void phoneWhenExtensionFollowsThenSpanCoversIt() {
    // Guards against leaving "ext. 218" outside the span while libphonenumber reads it as part of
    // the number.
    assertThat(
            Engines.found(
                "Office: +1 312 626 4400 ext. 218, fax +1 (312) 626-4401", PiiTypes.PHONE_NUMBER))
        .containsExactly("8 32", "38 55");
    assertThat(
            Engines.found(
                "Reception (617) 253-1000 x1205 or 617.253.1212, ext 7", PiiTypes.PHONE_NUMBER))
        .containsExactly("10 30", "34 53");
  }

  @Test
  void phoneWhenWordAfterStartsWithXThenNoExtension() {
    assertThat(Engines.found("Call 212-734-1180 xray results", PiiTypes.PHONE_NUMBER))
        .containsExactly("5 17");
  }

  @Test
  void phoneWhenNationalNumbersAsCustomarilyWrittenThenFound() {
    // The trunk-prefix rule must keep German and French numbers with their 0, Brazilian ones with
    // the
    // area code in brackets and bare Indian mobile numbers.
    String text =
        "Tel. 030 90182045, Recife (81) 3204-5511, Mumbai mobile 9876543210, Paris 01 54 65 41 18";
    assertThat(Engines.found(text, PiiTypes.PHONE_NUMBER))
        .containsExactly("5 17", "26 40", "56 66", "74 88");
    assertThat(Engines.found("call 6502530000 today", PiiTypes.PHONE_NUMBER))
        .containsExactly("5 15");
    assertThat(Engines.found("Ruf mich an, Telefon 03090182045", PiiTypes.PHONE_NUMBER))
        .containsExactly("21 32");
    assertThat(Engines.found("Seattle office (206) 860-8439", PiiTypes.PHONE_NUMBER))
        .containsExactly("15 29");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "listening since 1748157297",
        "{\"ts\":1767521702,\"kind\":\"session\"}",
        "ts=1762327379 ok",
        "Bestellung vom 08.07.2026.",
        "Invoice dated 06.12.2026: total $95,749.10",
        "due 12/31/2026",
        "rejected SSN values: 040-00-8058, 000-31-2527",
        "ships from -16.944021, 61.118559",
        "schema 4.5.6.4.2",
        "Lieferschein 8926922742, Menge 3",
        "WHERE payout_id = 5293511990 AND amount_cents = 100",
        "\"GET /file HTTP/1.1\" 206 8608439",
        "ticket INV-2026-654565",
        "VALUES (7, '2026-10-16 10:41:42');",
        "gespeichert am 16.10.2026 10:41"
      })
  void phoneWhenIdsEpochSecondsDatesDecimalsOrLogFieldsThenNotFlagged(String text) {
    // Guards against libphonenumber's VALID leniency reading these as national numbers: bare ids
    // without a phone word, numbers without the trunk prefix where it is always written, NANP
    // digits not grouped 3-3-4, dates opening a window.
    assertThat(Engines.found(text, PiiTypes.PHONE_NUMBER)).isEmpty();
  }

  @Test
  void phoneWhenDigitsContinueAPathOrProductTokenThenNotFlagged() {
    // Guards against a user agent's Chrome/129.0.6203.178 read as a Brazilian number.
    String text =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/129.0.6203.178 Safari/537.36";
    assertThat(Engines.found(text, PiiTypes.PHONE_NUMBER)).isEmpty();
    assertThat(Engines.found("Tel/Fax: 030 90182045", PiiTypes.PHONE_NUMBER))
        .containsExactly("9 21");
  }
}
