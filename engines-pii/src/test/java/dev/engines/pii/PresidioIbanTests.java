package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Presidio's test_iban_recognizer.py cases: per country a valid compact and grouped IBAN, then a
 * letter in the wrong place, a short one and a wrong check digit.
 */
class PresidioIbanTests {

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      AL47212110090000000235698741          | 28
      AL47 2121 1009 0000 0002 3569 8741    | 34
      AD1200012030200359100100              | 24
      AD12 0001 2030 2003 5910 0100         | 29
      AT611904300234573201                  | 20
      AT61 1904 3002 3457 3201              | 24
      AZ21NABZ00000000137010001944          | 28
      AZ21 NABZ 0000 0000 1370 1000 1944    | 34
      BH67BMAG00001299123456                | 22
      BY13NBRB3600900000002Z00AB00          | 28
      BE68539007547034                      | 16
      BE71 0961 2345 6769                   | 19
      BA391290079401028494                  | 20
      BR9700360305000010009795493P1         | 29
      BR97 0036 0305 0000 1000 9795 493P 1  | 36
      BG80BNBG96611020345678                | 22
      CR05015202001026284066                | 22
      HR1210010051863000160                 | 21
      CY17002001280000001200527600          | 28
      CZ6508000000192000145399              | 24
      DK5000400440116243                    | 18
      DO28BAGR00000001212453611324          | 28
      TL380080012345678910157               | 23
      EE382200221020145685                  | 20
      FO6264600001631634                    | 18
      FI2112345600000785                    | 18
      FR1420041010050500013M02606           | 27
      FR14 2004 1010 0505 0001 3M02 606     | 33
      GE29NB0000000101904917                | 22
      DE89370400440532013000                | 22
      DE89 3704 0044 0532 0130 00           | 27
      GI75NWBK000000007099453               | 23
      GR1601101250000000012300695           | 27
      GL8964710001000206                    | 18
      GT82TRAJ01020000001210029690          | 28
      HU42117730161111101800000000          | 28
      IS140159260076545510730339            | 26
      IE29AIBK93115212345678                | 22
      IL620108000000099999999               | 23
      IT60X0542811101000000123456           | 27
      JO94CBJO0010000000000131000302        | 30
      KZ86125KZT5004100100                  | 20
      XK051212012345678906                  | 20
      KW81CBKU0000000000001234560101        | 30
      LV80BANK0000435195001                 | 21
      LB62099900000001001901229114          | 28
      LI21088100002324013AA                 | 21
      LT121000011101001000                  | 20
      LU280019400644750000                  | 20
      MT84MALT011000012345MTLCAST001S       | 31
      MR1300020001010000123456753           | 27
      MU17BOMM0101101030300200000MUR        | 30
      MD24AG000225100013104168              | 24
      MC5811222000010123456789030           | 27
      ME25505000012345678951                | 22
      NL91ABNA0417164300                    | 18
      MK07250120000058984                   | 19
      NO9386011117947                       | 15
      PK36SCBL0000001123456702              | 24
      PS92PALS000000000400123456702         | 29
      PL61109010140000071219812874          | 28
      PT50000201231234567890154             | 25
      QA58DOHB00001234567890ABCDEFG         | 29
      RO49AAAA1B31007593840000              | 24
      SM86U0322509800000000270100           | 27
      SA0380000000608010167519              | 24
      RS35260005601001611379                | 22
      SK3112000000198742637541              | 24
      SI56263300012039086                   | 19
      ES9121000418450200051332              | 24
      SE4550000000058398257466              | 24
      CH9300762011623852957                 | 21
      TN5910006035183598478831              | 24
      TR330006100519786457841326            | 26
      AE070331234567890123456               | 23
      GB29NWBK60161331926819                | 22
      GB29 NWBK 6016 1331 9268 19           | 27
      VA59001123000012345678                | 22
      VG96VPVG0000012345678901              | 24
      """)
  void analyzeWhenValidIbanThenIbanCode(String iban, int end) {
    assertThat(Engines.found(iban, PiiTypes.IBAN_CODE)).containsExactly("0 " + end);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      AL47 212A 1009 0000 0002 3569 8741
      AL47 212A 1009 0000 0002 3569 874
      AL47 2121 1009 0000 0002 3569 8740
      AD12000A2030200359100100
      AD12 0001 2030 2003 5910 0101
      AT61 1904 A002 3457 3201
      AT61 1904 3002 3457 320
      AZ21NABZ000000001370100019
      AZ21NABZ00000000137010001945
      BH67BMA100001299123456
      BE71 0961 2345 6760
      BE6853900754703
      BR97 0036 0305 0000 1000 9795 493P 2
      CR05 0152 0200 1026 2840 6A
      HR12 001 0051 8630 0016 A
      EE38 2200 2210  014 5686
      FR14 2004 1010 0505 0001 3M02 607
      DE89 A704 0044 0532 0130 00
      DE89 3704 0044 0532 0130 01
      GI75 aWBK 0000 0000 7099 453
      G T82 TRAJ 0102 0000 0012 1002 9690
      IT60 XW54 2811 1010 0000 0123 456
      KW81 aBKU 0000 0000 0000 1234 5601 01
      LV80 bANK 0000 4351 9500 1
      NL91 1BNA 0417 1643 00
      QA58 0OHB 0000 1234 5678 90AB CDEF G
      GB29 1WBK 6016 1331 9268 19
      GB29 NWBK 6016 1331 9268 10
      AB150120690000003111141
      IL15 0120 6900 0000
      IL15 0120 6900 0000 3111 0120 6900 0000 3111 141
      IL150120690000003111141
      AM47212110090000000235698740
      """)
  void analyzeWhenInvalidIbanThenNoIbanCode(String text) {
    assertThat(Engines.found(text, PiiTypes.IBAN_CODE)).isEmpty();
  }

  @Test
  void analyzeWhenIbanInSentenceThenTrailingWordsExcluded() {
    assertThat(Engines.found("this is an iban VG96 VPVG 0000 0123 4567 8901 in a sentence", PiiTypes.IBAN_CODE)).containsExactly("16 45");
    assertThat(Engines.found("this is an iban VG96 VPVG 0000 0123 4567 8901 X in a sentence", PiiTypes.IBAN_CODE)).containsExactly("16 45");
  }

  @Test
  void analyzeWhenListOfIbansThenEach() {
    assertThat(Engines.found("list of ibans: AL47212110090000000235698741, AL47212110090000000235698741", PiiTypes.IBAN_CODE))
        .containsExactly("15 43", "45 73");
  }

  @Test
  void analyzeWhenAddressWithNumbersThenNoIban() {
    assertThat(Engines.found("Dalla's Pizza | 3843 Peartree Road, Bamblee, SD 20241 440-600-5124", PiiTypes.IBAN_CODE)).isEmpty();
  }
}
