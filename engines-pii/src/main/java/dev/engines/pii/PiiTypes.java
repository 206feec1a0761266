package dev.engines.pii;

import java.util.List;

/**
 * Entity type names. The detector types use Presidio's names so that policies and reports written
 * for Presidio read the same here; the secret types have no Presidio counterpart.
 */
public final class PiiTypes {

  /** An e-mail address. */
  public static final String EMAIL_ADDRESS = "EMAIL_ADDRESS";

  /** A phone number that libphonenumber validates for one of the configured regions. */
  public static final String PHONE_NUMBER = "PHONE_NUMBER";

  /** A payment card number (Luhn and issuer range). */
  public static final String CREDIT_CARD = "CREDIT_CARD";

  /** An IBAN (mod-97 and per-country length and format). */
  public static final String IBAN_CODE = "IBAN_CODE";

  /** An IPv4 or IPv6 address, optionally with zone and CIDR prefix. */
  public static final String IP_ADDRESS = "IP_ADDRESS";

  /** A US social security number. */
  public static final String US_SSN = "US_SSN";

  /** An AWS access key id (AKIA/ASIA/ABIA/ACCA followed by 16 characters). */
  public static final String AWS_ACCESS_KEY = "AWS_ACCESS_KEY";

  /** A JSON Web Token whose header decodes to JSON with an {@code alg} member. */
  public static final String JWT = "JWT";

  /** A PEM private key block, BEGIN line to END line. */
  public static final String PRIVATE_KEY = "PRIVATE_KEY";

  /** The token after {@code Bearer } (the word itself stays). */
  public static final String BEARER_TOKEN = "BEARER_TOKEN";

  /** The {@code user:password} part of a URL such as {@code https://user:password@host}. */
  public static final String URL_CREDENTIALS = "URL_CREDENTIALS";

  /** An Engines API key, {@code eng_<16 base32>_<32 base32>} (the platform's own credential). */
  public static final String ENGINES_API_KEY = "ENGINES_API_KEY";

  /** An Engines operator token, {@code eop_} followed by at least 16 token chars. */
  public static final String ENGINES_OPERATOR_TOKEN = "ENGINES_OPERATOR_TOKEN";

  /** The default type of per-tenant deny-list terms. */
  public static final String DENY_LIST = "DENY_LIST";

  /** Every type the built-in detectors emit, in a fixed order. */
  public static final List<String> DETECTED =
      List.of(
          EMAIL_ADDRESS,
          PHONE_NUMBER,
          CREDIT_CARD,
          IBAN_CODE,
          IP_ADDRESS,
          US_SSN,
          AWS_ACCESS_KEY,
          JWT,
          PRIVATE_KEY,
          BEARER_TOKEN,
          URL_CREDENTIALS,
          ENGINES_API_KEY,
          ENGINES_OPERATOR_TOKEN);

  private PiiTypes() {}
}
