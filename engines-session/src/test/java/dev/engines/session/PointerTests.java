package dev.engines.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engines.core.error.InvalidFieldsException.FieldError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PointerTests {

  @Test
  void validateWhenEveryTypeWithItsIdShapeThenKept() {
    List<FieldError> errors = new ArrayList<>();
    List<Pointer> pointers =
        List.of(
            new Pointer("atom", "at_" + "0".repeat(32)),
            new Pointer("asset", "ra_abcdef12"),
            new Pointer("turn", "tu_" + "a".repeat(32)),
            new Pointer("vector", "notes_2/space.v1:42"),
            new Pointer("external", "card:7"));
    assertThat(Pointer.validate("pinned_refs", pointers, 0, errors)).isEqualTo(pointers);
    assertThat(errors).isEmpty();
  }

  @Test
  void validateWhenUnknownTypeBadIdOrTwiceThenEachNamedByPath() {
    List<FieldError> errors = new ArrayList<>();
    Pointer atom = new Pointer("atom", "at_" + "0".repeat(32));
    Pointer.validate(
        "refs",
        Arrays.asList(new Pointer("card", "x"), new Pointer("atom", "at_short"), atom, atom, null),
        0,
        errors);
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly("refs[0].type", "refs[1].id", "refs[3]", "refs[4]");
  }

  @Test
  void validateWhenVectorIdNamesNoSpaceOrNoVectorThenRefused() {
    List<FieldError> errors = new ArrayList<>();
    Pointer.validate(
        "refs",
        List.of(
            new Pointer("vector", "v1"),
            new Pointer("vector", "Notes/v1"),
            new Pointer("vector", "notes/"),
            new Pointer("vector", "notes/a/b"),
            new Pointer("vector", "notes/" + "x".repeat(201))),
        0,
        errors);
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly("refs[0].id", "refs[1].id", "refs[2].id", "refs[3].id", "refs[4].id");
  }

  @Test
  void validateWhenMissingTooFewOrTooManyThenRefused() {
    List<FieldError> errors = new ArrayList<>();
    Pointer.validate("summary_refs", null, 0, errors);
    Pointer.validate("refs", List.of(), 1, errors);
    Pointer.validate(
        "pinned_refs",
        Collections.nCopies(Pointer.MAX_PER_LIST + 1, new Pointer("external", "x")),
        0,
        errors);
    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactly("summary_refs", "refs", "pinned_refs");
  }
}
