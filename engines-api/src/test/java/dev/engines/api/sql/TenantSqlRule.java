package dev.engines.api.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one isolation rule (DESIGN §3) for one SQL statement: every tenant table it reads or writes
 * names {@code tenant_id}, and every env-scoped one {@code env} too, bound to a value the statement
 * is given, not only through Row-Level Security. Concretely:
 *
 * <ul>
 *   <li>a table in {@code FROM}, {@code JOIN}, {@code UPDATE}, {@code DELETE FROM} or {@code USING}
 *       has its {@code tenant_id} (and {@code env}) equal to a parameter or literal, directly
 *       ({@code a.tenant_id = :t}, {@code = ANY (:ids)}, {@code IN (:a, :b)}) or through equalities
 *       with another such column ({@code r.tenant_id = a.tenant_id AND a.tenant_id = :t}), in its
 *       own query or one around it (a correlated subquery);
 *   <li>{@code INSERT INTO} names the columns, {@code tenant_id} (and {@code env}) among them, and
 *       an {@code ON CONFLICT} target includes them.
 * </ul>
 *
 * Assignments in {@code SET} do not count as predicates. A {@code ${…}} placeholder (text the
 * scanner could not read) counts as a bound value where a value goes, and as a table that must name
 * both columns where a table goes. The reading is lexical, not a full SQL grammar: it understands
 * the statements this code base writes (CTEs, subqueries, unions, joins, casts, {@code unnest}) and
 * reports what it does not recognise rather than passing it.
 */
final class TenantSqlRule {

  private static final Set<String> QUERY_STARTS =
      Set.of("select", "with", "insert", "update", "delete", "values");
  private static final Set<String> NOT_ALIASES =
      Set.of(
          "where",
          "join",
          "inner",
          "left",
          "right",
          "full",
          "cross",
          "natural",
          "on",
          "using",
          "set",
          "order",
          "group",
          "limit",
          "offset",
          "having",
          "window",
          "for",
          "returning",
          "union",
          "intersect",
          "except",
          "values",
          "select",
          "from",
          "into",
          "lateral",
          "tablesample",
          "default",
          "do",
          "and",
          "or",
          "not",
          "as",
          "fetch",
          "overriding");

  /** Words that start a clause; an OR or a SET list spoils only its own clause. */
  private static final Set<String> CLAUSES =
      Set.of(
          "select",
          "from",
          "where",
          "join",
          "on",
          "group",
          "order",
          "having",
          "limit",
          "offset",
          "returning",
          "set",
          "using",
          "values",
          "window",
          "for",
          "into",
          "conflict",
          "do");

  private final Map<String, Boolean> tenantTables;
  private final Set<String> boundNames;

  /**
   * @param tenantTables every tenant table (lower case) → whether it is env-scoped
   * @param boundNames names that stand for bound values (a SQL function's parameters); empty for
   *     statements sent from Java, whose values are {@code :name} or {@code ?} parameters
   */
  TenantSqlRule(Map<String, Boolean> tenantTables, Set<String> boundNames) {
    this.tenantTables = Map.copyOf(tenantTables);
    this.boundNames = Set.copyOf(boundNames);
  }

  /** What {@code sql} does wrong, one line each; empty when it keeps the rule. */
  List<String> violations(String sql) {
    Group root = parse(tokens(sql));
    Statement statement = new Statement();
    statement.scopes(root.items, null);
    return statement.check();
  }

  // ---------------------------------------------------------------------------------------------
  // Tokens and parentheses

  enum Kind {
    WORD,
    PARAM,
    STRING,
    NUMBER,
    DYN,
    OPEN,
    CLOSE,
    COMMA,
    DOT,
    CAST,
    EQ,
    OP,
    SEMI
  }

  record Token(Kind kind, String text) {
    boolean is(String word) {
      return kind == Kind.WORD && text.equals(word);
    }
  }

  /** A parenthesised list of items (tokens and groups); the root group has no parentheses. */
  record Group(List<Object> items) {
    Token first() {
      return items.isEmpty() || !(items.getFirst() instanceof Token t) ? null : t;
    }

    boolean isQuery() {
      Token first = first();
      return first != null && first.kind() == Kind.WORD && QUERY_STARTS.contains(first.text());
    }
  }

  static List<Token> tokens(String sql) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '\'') {
        int j = i + 1;
        while (j < n && !(sql.charAt(j) == '\'' && (j + 1 >= n || sql.charAt(j + 1) != '\''))) {
          j += sql.charAt(j) == '\'' ? 2 : 1;
        }
        out.add(new Token(Kind.STRING, sql.substring(i, Math.min(n, j + 1))));
        i = j + 1;
      } else if (c == '$' && i + 1 < n && sql.charAt(i + 1) == '{') {
        int depth = 0;
        int j = i + 1;
        for (; j < n; j++) {
          if (sql.charAt(j) == '{') {
            depth++;
          } else if (sql.charAt(j) == '}' && --depth == 0) {
            break;
          }
        }
        out.add(new Token(Kind.DYN, sql.substring(i, Math.min(n, j + 1))));
        i = j + 1;
      } else if (c == '"') {
        int end = sql.indexOf('"', i + 1);
        end = end < 0 ? n : end;
        out.add(new Token(Kind.WORD, sql.substring(i + 1, end).toLowerCase(Locale.ROOT)));
        i = end + 1;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < n
            && (Character.isLetterOrDigit(sql.charAt(j))
                || sql.charAt(j) == '_'
                || sql.charAt(j) == '$')) {
          j++;
        }
        out.add(new Token(Kind.WORD, sql.substring(i, j).toLowerCase(Locale.ROOT)));
        i = j;
      } else if (Character.isDigit(c)) {
        int j = i;
        while (j < n && (Character.isDigit(sql.charAt(j)) || sql.charAt(j) == '.')) {
          j++;
        }
        out.add(new Token(Kind.NUMBER, sql.substring(i, j)));
        i = j;
      } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
        out.add(new Token(Kind.CAST, "::"));
        i += 2;
      } else if (c == ':'
          && i + 1 < n
          && (Character.isLetter(sql.charAt(i + 1)) || sql.charAt(i + 1) == '_')) {
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
          j++;
        }
        out.add(new Token(Kind.PARAM, sql.substring(i, j)));
        i = j;
      } else if (c == '?'
          && !(i + 1 < n && (sql.charAt(i + 1) == '|' || sql.charAt(i + 1) == '&'))) {
        out.add(new Token(Kind.PARAM, "?"));
        i++;
      } else if (c == '(' || c == ')' || c == ',' || c == '.' || c == ';') {
        Kind kind =
            switch (c) {
              case '(' -> Kind.OPEN;
              case ')' -> Kind.CLOSE;
              case ',' -> Kind.COMMA;
              case '.' -> Kind.DOT;
              default -> Kind.SEMI;
            };
        out.add(new Token(kind, String.valueOf(c)));
        i++;
      } else {
        int j = i;
        while (j < n && "+-*/<>=~!@#%^&|`?[]".indexOf(sql.charAt(j)) >= 0) {
          j++;
        }
        j = Math.max(j, i + 1);
        String op = sql.substring(i, j);
        out.add(new Token(op.equals("=") ? Kind.EQ : Kind.OP, op));
        i = j;
      }
    }
    return out;
  }

  static Group parse(List<Token> tokens) {
    List<List<Object>> stack = new ArrayList<>();
    stack.add(new ArrayList<>());
    for (Token token : tokens) {
      if (token.kind() == Kind.OPEN) {
        stack.add(new ArrayList<>());
      } else if (token.kind() == Kind.CLOSE && stack.size() > 1) {
        List<Object> closed = stack.removeLast();
        stack.getLast().add(new Group(closed));
      } else {
        stack.getLast().add(token);
      }
    }
    while (stack.size() > 1) {
      List<Object> open = stack.removeLast();
      stack.getLast().add(new Group(open));
    }
    return new Group(stack.getFirst());
  }

  // ---------------------------------------------------------------------------------------------
  // Scopes, table references and the equalities between their columns

  /**
   * A table (or a name that is not a table: a CTE, a subquery, a function) in a query's FROM list.
   */
  static final class Ref {
    final int id;
    final String table;
    final String alias;
    final boolean opaque;
    final boolean unknown;
    boolean insertTarget;

    Ref(int id, String table, String alias, boolean opaque, boolean unknown) {
      this.id = id;
      this.table = table;
      this.alias = alias;
      this.opaque = opaque;
      this.unknown = unknown;
    }

    String name() {
      return alias == null ? table : table + " " + alias;
    }
  }

  /** One query: a SELECT, a branch of a UNION, a CTE's body, a subquery, the statement itself. */
  static final class Scope {
    final Scope parent;
    final List<Object> items;
    final List<Ref> refs = new ArrayList<>();
    final Set<String> ctes = new LinkedHashSet<>();

    Scope(Scope parent, List<Object> items) {
      this.parent = parent;
      this.items = items;
    }

    boolean isCte(String name) {
      for (Scope s = this; s != null; s = s.parent) {
        if (s.ctes.contains(name)) {
          return true;
        }
      }
      return false;
    }
  }

  private final class Statement {
    private final List<Scope> scopes = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> parent = new HashMap<>();
    private int refIds;

    private static final String BOUND = "bound";

    /**
     * Splits {@code items} into queries (UNION branches), then finds their refs and nested queries.
     */
    void scopes(List<Object> items, Scope outer) {
      List<Object> part = new ArrayList<>();
      for (Object item : items) {
        if (item instanceof Token t && (t.is("union") || t.is("intersect") || t.is("except"))) {
          scope(part, outer);
          part = new ArrayList<>();
        } else {
          part.add(item);
        }
      }
      scope(part, outer);
    }

    private void scope(List<Object> items, Scope outer) {
      Scope scope = new Scope(outer, items);
      scopes.add(scope);
      ctes(scope);
      refs(scope);
      nested(items, scope);
      inserts(scope);
    }

    /** {@code WITH name [(cols)] AS [[NOT] MATERIALIZED] (query), ...}: the names, not tables. */
    private void ctes(Scope scope) {
      List<Object> items = scope.items;
      if (items.isEmpty() || !(items.getFirst() instanceof Token first) || !first.is("with")) {
        return;
      }
      for (int i = 1; i < items.size(); i++) {
        if (!(items.get(i) instanceof Token as) || !as.is("as")) {
          continue;
        }
        int body = i + 1;
        while (body < items.size()
            && items.get(body) instanceof Token m
            && (m.is("not") || m.is("materialized"))) {
          body++;
        }
        if (!(body < items.size() && items.get(body) instanceof Group query && query.isQuery())) {
          continue;
        }
        int name =
            items.get(i - 1) instanceof Group ? i - 2 : i - 1; // a column list between name and AS
        if (name >= 0 && items.get(name) instanceof Token n && n.kind() == Kind.WORD) {
          scope.ctes.add(n.text());
        }
      }
    }

    /** The queries nested in {@code items}, looking through groups that are not queries. */
    private void nested(List<Object> items, Scope scope) {
      for (Object item : items) {
        if (item instanceof Group group) {
          if (group.isQuery()) {
            scopes(group.items(), scope);
          } else {
            nested(group.items(), scope);
          }
        }
      }
    }

    private void refs(Scope scope) {
      List<Object> items = scope.items;
      for (int i = 0; i < items.size(); i++) {
        if (!(items.get(i) instanceof Token t) || t.kind() != Kind.WORD) {
          continue;
        }
        Token before = i > 0 && items.get(i - 1) instanceof Token b ? b : null;
        boolean opens =
            switch (t.text()) {
              case "from" -> before == null || !before.is("distinct");
              case "join" -> true;
              case "into" -> before != null && before.is("insert");
              case "update" ->
                  before == null || !(before.is("for") || before.is("do") || before.is("key"));
              case "using" -> i + 1 < items.size() && !(items.get(i + 1) instanceof Group);
              default -> false;
            };
        if (!opens) {
          continue;
        }
        boolean fromList = t.is("from") || t.is("using");
        int at = i + 1;
        while (true) {
          at = ref(scope, at, t.is("into"));
          if (fromList
              && at < items.size()
              && items.get(at) instanceof Token c
              && c.kind() == Kind.COMMA) {
            at++;
            continue;
          }
          break;
        }
      }
    }

    /** Reads one FROM item at {@code at}; returns the index after it. */
    private int ref(Scope scope, int at, boolean insertTarget) {
      List<Object> items = scope.items;
      while (at < items.size()
          && items.get(at) instanceof Token t
          && (t.is("only") || t.is("lateral"))) {
        at++;
      }
      if (at >= items.size()) {
        return at;
      }
      Object item = items.get(at);
      String table;
      boolean opaque;
      boolean unknown = false;
      if (item instanceof Group) {
        table = "(subquery)";
        opaque = true;
        at++;
      } else if (item instanceof Token t && t.kind() == Kind.DYN) {
        table = t.text();
        opaque = false;
        unknown = true;
        at++;
      } else if (item instanceof Token t && t.kind() == Kind.WORD) {
        table = t.text();
        at++;
        while (at + 1 < items.size()
            && items.get(at) instanceof Token d
            && d.kind() == Kind.DOT
            && items.get(at + 1) instanceof Token q
            && q.kind() == Kind.WORD) {
          table = q.text(); // schema-qualified: the table is the last part
          at += 2;
        }
        boolean function = !insertTarget && at < items.size() && items.get(at) instanceof Group;
        if (function) {
          at++;
        }
        opaque = function || scope.isCte(table);
      } else {
        return at;
      }
      String alias = null;
      boolean explicit = at < items.size() && items.get(at) instanceof Token as && as.is("as");
      int aliasAt = explicit ? at + 1 : at;
      if ((explicit || !insertTarget)
          && aliasAt < items.size()
          && items.get(aliasAt) instanceof Token a
          && a.kind() == Kind.WORD
          && !NOT_ALIASES.contains(a.text())) {
        alias = a.text();
        at = aliasAt + 1;
        if (!insertTarget && at < items.size() && items.get(at) instanceof Group) {
          at++; // column aliases of a function or subquery
        }
      }
      Ref ref = new Ref(refIds++, table, alias, opaque, unknown);
      ref.insertTarget = insertTarget;
      scope.refs.add(ref);
      return at;
    }

    /** INSERT INTO's column list and ON CONFLICT target. */
    private void inserts(Scope scope) {
      for (Ref ref : scope.refs) {
        if (!ref.insertTarget
            || ref.opaque
            || !(ref.unknown || tenantTables.containsKey(ref.table))) {
          continue;
        }
        boolean env = ref.unknown || tenantTables.get(ref.table);
        List<Object> items = scope.items;
        int into = -1;
        for (int i = 0; i < items.size(); i++) {
          if (items.get(i) instanceof Token t && t.is("into")) {
            into = i;
            break;
          }
        }
        int at = into + 2; // past the table name
        while (at + 1 < items.size() && items.get(at) instanceof Token d && d.kind() == Kind.DOT) {
          at += 2;
        }
        if (at < items.size() && items.get(at) instanceof Token as && as.is("as")) {
          at += 2;
        }
        Group columns = at < items.size() && items.get(at) instanceof Group g ? g : null;
        if (columns == null || columns.isQuery()) {
          problems.add("INSERT INTO " + ref.table + " does not name its columns");
          continue;
        }
        requireColumns("INSERT INTO " + ref.table + " column list", columns, env);
        for (int i = 0; i + 2 < items.size(); i++) {
          if (items.get(i) instanceof Token on
              && on.is("on")
              && items.get(i + 1) instanceof Token c
              && c.is("conflict")
              && items.get(i + 2) instanceof Group target) {
            requireColumns("INSERT INTO " + ref.table + " ON CONFLICT target", target, env);
          }
        }
      }
    }

    private void requireColumns(String what, Group group, boolean env) {
      Set<String> names = new LinkedHashSet<>();
      for (Object item : group.items()) {
        if (item instanceof Token t && t.kind() == Kind.WORD) {
          names.add(t.text());
        }
      }
      if (!names.contains("tenant_id")) {
        problems.add(what + " lacks tenant_id");
      }
      if (env && !names.contains("env")) {
        problems.add(what + " lacks env");
      }
    }

    List<String> check() {
      for (Scope scope : scopes) {
        equalities(scope, scope.items);
      }
      for (Scope scope : scopes) {
        for (Ref ref : scope.refs) {
          if (ref.opaque
              || ref.insertTarget
              || !(ref.unknown || tenantTables.containsKey(ref.table))) {
            continue;
          }
          if (!find(node(ref, "tenant_id")).equals(find(BOUND))) {
            problems.add(ref.name() + ": tenant_id is not bound to a value");
          }
          if ((ref.unknown || tenantTables.get(ref.table))
              && !find(node(ref, "env")).equals(find(BOUND))) {
            problems.add(ref.name() + ": env is not bound to a value");
          }
        }
      }
      return List.copyOf(new LinkedHashSet<>(problems));
    }

    /**
     * Every {@code x = y} (and {@code x = ANY (...)}, {@code x IN (...)}) that restricts the rows:
     * clause by clause, leaving out {@code SET} lists, clauses with an {@code OR} at their own
     * level (a disjunct restricts nothing on its own) and {@code CASE} expressions.
     */
    private void equalities(Scope scope, List<Object> items) {
      int start = 0;
      for (int i = 1; i <= items.size(); i++) {
        if (i == items.size()
            || items.get(i) instanceof Token t
                && t.kind() == Kind.WORD
                && CLAUSES.contains(t.text())) {
          clause(scope, items, start, i);
          start = i;
        }
      }
    }

    private void clause(Scope scope, List<Object> items, int from, int to) {
      if (items.get(from) instanceof Token first && first.is("set")) {
        return;
      }
      for (int i = from; i < to; i++) {
        if (items.get(i) instanceof Token t && t.is("or")) {
          return;
        }
      }
      int inCase = 0;
      for (int i = from; i < to; i++) {
        Object item = items.get(i);
        if (item instanceof Token t && (t.is("case") || t.is("end"))) {
          inCase += t.is("case") ? 1 : -1;
          continue;
        }
        if (inCase > 0) {
          continue;
        }
        if (item instanceof Group group) {
          if (!group.isQuery()) {
            equalities(scope, group.items());
          }
          continue;
        }
        Token t = (Token) item;
        if (t.kind() == Kind.EQ) {
          String left = left(scope, items, i - 1);
          String right = right(scope, items, i + 1);
          if (left != null && right != null) {
            union(left, right);
          }
        } else if (t.is("in")
            && !(i > 0 && items.get(i - 1) instanceof Token n && n.is("not"))
            && i + 1 < items.size()
            && items.get(i + 1) instanceof Group values
            && onlyValues(values)) {
          String left = left(scope, items, i - 1);
          if (left != null) {
            union(left, BOUND);
          }
        }
      }
    }

    /** The operand that ends at {@code end}: a column's node, {@link #BOUND}, or null. */
    private String left(Scope scope, List<Object> items, int end) {
      if (end >= 2
          && items.get(end) instanceof Token type
          && type.kind() == Kind.WORD
          && items.get(end - 1) instanceof Token cast
          && cast.kind() == Kind.CAST) {
        end -= 2; // x::type
      }
      if (end < 0) {
        return null;
      }
      Object item = items.get(end);
      if (item instanceof Token t) {
        if (isValue(t)) {
          return BOUND;
        }
        if (t.kind() == Kind.WORD) {
          String qualifier =
              end >= 2
                      && items.get(end - 1) instanceof Token d
                      && d.kind() == Kind.DOT
                      && items.get(end - 2) instanceof Token q
                      && q.kind() == Kind.WORD
                  ? q.text()
                  : null;
          return column(scope, qualifier, t.text());
        }
        return null;
      }
      if (item instanceof Group g
          && end >= 1
          && items.get(end - 1) instanceof Token f
          && f.is("cast")) {
        return castOfValue(g) ? BOUND : null;
      }
      return null;
    }

    /** The operand that starts at {@code start}. */
    private String right(Scope scope, List<Object> items, int start) {
      if (start >= items.size()) {
        return null;
      }
      Object item = items.get(start);
      if (!(item instanceof Token t)) {
        return null;
      }
      if (isValue(t)) {
        return BOUND;
      }
      if (t.kind() != Kind.WORD) {
        return null;
      }
      Object next = start + 1 < items.size() ? items.get(start + 1) : null;
      if ((t.is("any") || t.is("some")) && next instanceof Group g) {
        return onlyValues(g) ? BOUND : null;
      }
      if (t.is("cast") && next instanceof Group g) {
        return castOfValue(g) ? BOUND : null;
      }
      if (next instanceof Group) {
        return null; // a function's result
      }
      if (next instanceof Token d
          && d.kind() == Kind.DOT
          && start + 2 < items.size()
          && items.get(start + 2) instanceof Token c
          && c.kind() == Kind.WORD) {
        return column(scope, t.text(), c.text());
      }
      return column(scope, null, t.text());
    }

    private boolean isValue(Token t) {
      return switch (t.kind()) {
        case PARAM, STRING, NUMBER, DYN -> true;
        case WORD -> boundNames.contains(t.text());
        default -> false;
      };
    }

    private boolean castOfValue(Group g) {
      return !g.items().isEmpty() && g.items().getFirst() instanceof Token first && isValue(first);
    }

    /**
     * A list of values: parameters, literals, their casts ({@code :ids::text[]}, {@code CAST(:ids
     * AS text[])}).
     */
    private boolean onlyValues(Group g) {
      List<Object> items = g.items();
      if (items.isEmpty()) {
        return false;
      }
      for (int i = 0; i < items.size(); i++) {
        Object item = items.get(i);
        Object before = i > 0 ? items.get(i - 1) : null;
        boolean ok =
            switch (item) {
              case Group inner -> before instanceof Token c && c.is("cast") && castOfValue(inner);
              case Token t when isValue(t) -> true;
              case Token t
                  when t.kind() == Kind.COMMA || t.kind() == Kind.CAST || t.text().equals("[]") ->
                  true;
              case Token t when t.is("cast") ->
                  i + 1 < items.size() && items.get(i + 1) instanceof Group;
              case Token t when t.kind() == Kind.WORD ->
                  before instanceof Token c && c.kind() == Kind.CAST; // a type name
              default -> false;
            };
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    /**
     * The node of column {@code name} as seen from {@code scope}; other columns than tenant_id and
     * env share one dead node.
     */
    private String column(Scope scope, String qualifier, String name) {
      if (!name.equals("tenant_id") && !name.equals("env")) {
        return null;
      }
      if (qualifier != null) {
        for (Scope s = scope; s != null; s = s.parent) {
          for (Ref ref : s.refs) {
            if (qualifier.equals(ref.alias) || ref.alias == null && qualifier.equals(ref.table)) {
              return node(ref, name);
            }
          }
        }
        return "unresolved:" + qualifier + "." + name;
      }
      for (Scope s = scope; s != null; s = s.parent) {
        List<Ref> candidates = s.refs.stream().filter(r -> !r.insertTarget).toList();
        if (!candidates.isEmpty()) {
          String first = node(candidates.getFirst(), name);
          for (Ref other : candidates.subList(1, candidates.size())) {
            union(first, node(other, name));
          }
          return first;
        }
      }
      return "unresolved:" + name;
    }

    private String node(Ref ref, String column) {
      return ref.id + "." + column;
    }

    private String find(String node) {
      String at = node;
      while (parent.containsKey(at)) {
        at = parent.get(at);
      }
      return at;
    }

    private void union(String a, String b) {
      String ra = find(a);
      String rb = find(b);
      if (!ra.equals(rb)) {
        if (rb.equals(BOUND)) {
          parent.put(ra, rb);
        } else {
          parent.put(rb, ra);
        }
      }
    }
  }
}
