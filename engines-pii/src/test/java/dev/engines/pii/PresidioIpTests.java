package dev.engines.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Presidio's test_ip_recognizer.py cases, then this engine's own IP rules. */
class PresidioIpTests {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
      microsoft.com 192.168.0.1                        | 14 25
      microsoft.com 684D:1111:222:3333:4444:5555:6:77  | 14 47
      my ip: 684D:1111:222:3333:4444:5555:6:77         | 7 40
      2345:0425:2CA1:0000:0000:0567:5673:23b5          | 0 39
      2345:0425:2CA1::0567:5673:23b5                   | 0 30
      2400:c401::5054:ff:fe1b:b031                     | 0 28
      my ip: ::1                                       | 7 10
      connecting from ::1                              | 16 19
      fe80::1                                          | 0 7
      2001:db8::8a2e:370:7334                          | 0 23
      2001:db8:85a3::8a2e:370                          | 0 23
      2001:db8::1                                      | 0 11
      fe80::1%eth0                                     | 0 12
      Server IP: 2001:db8::1                           | 11 22
      Connect to [2001:db8::1]:8080                    | 12 23
      my ip is 2400:c401::5054:ff:fe1b:b031            | 9 37
      Gateway: fe80::1 on interface                    | 9 16
      Visit http://[2001:db8::1]/path                  | 14 25
      SSH to user@2001:db8::1                          | 12 23
      ::ffff:192.0.2.1                                 | 0 16
      ::ffff:10.0.0.1                                  | 0 15
      ::ffff:255.255.255.255                           | 0 22
      ::ffff:0.0.0.0                                   | 0 14
      ::ffff:0:192.168.1.1                             | 0 20
      ::ffff:0000:10.0.0.1                             | 0 20
      Mapped: ::ffff:192.168.1.1                       | 8 26
      Connect to ::ffff:10.0.0.1 now                   | 11 26
      [::ffff:192.168.1.1]:80                          | 1 19
      ::192.168.1.1                                    | 0 13
      ::10.0.0.1                                       | 0 10
      2001:db8::192.168.1.1                            | 0 21
      2001:db8:1::192.0.2.1                            | 0 21
      64:ff9b::192.0.2.1                               | 0 18
      2001:db8:85a3::8a2e:192.168.0.1                  | 0 31
      0:0:0:0:0:FFFF:129.144.52.38                     | 0 28
      2001:db8:0:0:0:0:192.168.1.1                     | 0 28
      NAT64: 64:ff9b::198.51.100.1                     | 7 28
      Tunnel to 2001:db8::10.0.0.1                     | 10 28
      IPv4: 192.168.1.1, IPv6: 2001:db8::1             | 6 17,25 36
      Primary: 10.0.0.1, Secondary: 172.16.0.1         | 9 17,30 40
      IPs: 192.168.1.1, 10.0.0.1, 2001:db8::1          | 5 16,18 26,28 39
      (192.168.1.1)                                    | 1 12
      '2001:db8::1'                                    | 1 12
      IP: 192.168.1.1.                                 | 4 15
      192.168.1.1,                                     | 0 11
      [2001:db8::1]                                    | 1 12
      Server IP: 2400:c401::5054:ff:fe1b:b031.         | 11 39
      2001:db8::1.                                     | 0 11
      192.168.2.1@eth0                                 | 0 11
      text::ffff:192.0.2.1                             | 11 20
      foo2001:db8::10.0.0.1                            | 13 21
      localhost 127.0.0.1                              | 10 19
      Broadcast 255.255.255.255                        | 10 25
      Private 10.0.0.0                                 | 8 16
      Link-local 169.254.1.1                           | 11 22
      Subnet 172.16.0.0                                | 7 17
      Default 0.0.0.0                                  | 8 15
      Loopback ::1                                     | 9 12
      Multicast ff02::1                                | 10 17
      192.168.1.0/24                                   | 0 14
      10.0.0.0/8                                       | 0 10
      0.0.0.0/0                                        | 0 9
      192.168.1.1/32                                   | 0 14
      2001:db8::/32                                    | 0 13
      fe80::/10                                        | 0 9
      ::1/128                                          | 0 7
      fe80::1%eth0/64                                  | 0 15
      2001:db8::%eth0/128                              | 0 19
      ::ffff:192.168.1.0/96                            | 0 21
      64:ff9b::192.0.2.0/96                            | 0 21
      Subnet: 192.168.1.0/24                           | 8 22
      Prefix: 2001:db8::/32                            | 8 21
      Route is 10.0.0.0/8.                             | 9 19
      Use 2001:db8::/32.                               | 4 17
      10.0.0.0/123                                     | 0 8
      2001:db8::/9999                                  | 0 10
      """)
  void analyzeWhenIpAddressThenFound(String text, String expected) {
    assertThat(Engines.found(text, PiiTypes.IP_ADDRESS)).containsExactly(expected.split(","));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "my ip: 192.168.0",
        "684D:1111:222:3333:4444:5555:77",
        "::ffff:256.0.0.1",
        "::ffff:192.168.1",
        "2001:db8::256.1.1.1",
        "MAC address aa:bb:cc:dd:ee:ff",
        "Time 12:34:56",
        "Ratio 1:2:3:4",
        "CSS color #ff00aa",
        "Version 1.2.3",
        "Port 80:443",
        "abc:def:ghi",
        "123:abc",
        "file:///path/to/file",
        "std::cout",
        "MyClass::toString",
        ":::",
        "IP192.168.1.1text",
        "text192.168.1.1",
        "fe80::1text",
        "text2001:db8::1",
        "256.256.256.256",
        "192.168.1.256",
        "gggg:hhhh::1234",
        "192.168.1",
        "300.168.1.1",
        "12345:db8::1",
        "2001::db8::1",
        "build v2.14.20"
      })
  void analyzeWhenNotAnIpThenNothing(String text) {
    assertThat(Engines.found(text, PiiTypes.IP_ADDRESS)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.168.1.1.1",
        "dotted 1.2.3.4.5",
        "SNMP OID 1.3.6.1.4.1.9.1.1745",
        "sysObjectID 1.3.6.1.2.1.1.2",
        "schema 4.5.6.4.2"
      })
  void analyzeWhenDottedNumberHasMoreThanFourPartsThenNoneOfItIsAnIp(String text) {
    // Deviates from Presidio, which flags the first four parts: OIDs and long version strings are
    // not addresses.
    assertThat(Engines.found(text, PiiTypes.IP_ADDRESS)).isEmpty();
  }

  @Test
  void analyzeWhenAddressEndsSentenceOrPrecedesPortThenFound() {
    assertThat(
            Engines.found(
                "Blocked 203.0.113.7. Then 198.51.100.4:8443 and 10.1.2.3/24.",
                PiiTypes.IP_ADDRESS))
        .containsExactly("8 19", "26 38", "48 59");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Use local ipv6 ::", "Unspecified ::", "::/0", "::/128"})
  void analyzeWhenUnspecifiedAddressThenNotFlagged(String text) {
    // Presidio flags the bare unspecified address :: at score 0.1; it names no host, so it is not
    // PII here.
    assertThat(Engines.found(text, PiiTypes.IP_ADDRESS)).isEmpty();
  }

  @Test
  void analyzeWhenUnspecifiedAndLoopbackThenLoopbackOnly() {
    // Presidio expects two spans; the unspecified :: is not flagged here (see above).
    assertThat(Engines.found("src=:: dst=::1", PiiTypes.IP_ADDRESS)).containsExactly("11 14");
  }
}
