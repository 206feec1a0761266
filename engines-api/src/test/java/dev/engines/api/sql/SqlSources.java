package dev.engines.api.sql;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Finds the SQL statements of Java sources: the argument of every call that hands SQL to the
 * database ({@code JdbcClient.sql}, {@code prepareStatement}, {@code JdbcTemplate} and {@code
 * Statement} methods, ...), read back to its text through the JDK's own parser. String literals,
 * text blocks and their concatenations are read as written; names are followed to the constant,
 * local variable, loop over literals, {@code StringBuilder} appends or parameter (at the call sites
 * in the same file) they come from, so a statement assembled from pieces is checked whole. What the
 * scanner cannot read is kept as a {@code ${expression}} placeholder, which the rule treats as the
 * least it can know (a placeholder where a table belongs is a table that must name tenant and env).
 *
 * <p>Besides the statements it reports <em>stray</em> SQL: every string literal that starts like a
 * statement but reaches none of the calls above, so SQL handed to the database some other way
 * cannot pass unchecked.
 */
final class SqlSources {

  /** A statement as the scanner read it, with every variant conditionals and loops make of it. */
  record Found(String file, long line, List<String> variants) {

    String where() {
      return file + ":" + line;
    }
  }

  /**
   * What a scan found.
   *
   * @param statements the SQL handed to the database, as far as the scanner could read it
   * @param unreadable calls that always take SQL but whose argument the scanner could not read as a
   *     statement (it comes from another file, a collection, a method result): nothing was checked
   * @param stray string literals that start like a statement but reach no call that takes SQL
   */
  record Scan(List<Found> statements, List<Found> unreadable, List<Found> stray) {}

  /** Calls whose first argument is always SQL. */
  private static final Set<String> SQL_CALLS =
      Set.of(
          "sql",
          "prepareStatement",
          "prepareCall",
          "executeQuery",
          "executeUpdate",
          "executeLargeUpdate",
          "addBatch",
          "batchUpdate",
          "queryForObject",
          "queryForList",
          "queryForMap",
          "queryForRowSet",
          "queryForStream");

  /**
   * Calls whose first argument is SQL only when it is text ({@code JdbcTemplate.update(String,
   * ...)} but also {@code JdbcClient...query(RowMapper)} and {@code update()}).
   */
  private static final Set<String> MAYBE_SQL_CALLS = Set.of("update", "query", "execute");

  /** The first word of a statement, as the code base writes them (upper case). */
  private static final Pattern STATEMENT_START =
      Pattern.compile("^\\s*(SELECT|INSERT\\s+INTO|UPDATE\\s+\\w+|DELETE\\s+FROM|WITH\\s+\\w+)\\b");

  private static final int MAX_VARIANTS = 64;
  private static final int MAX_DEPTH = 24;

  private final List<Unit> units = new ArrayList<>();

  /** {@code SimpleClassName.FIELD} → declaration, for constants read across files. */
  private final Map<String, TreePath> constants = new HashMap<>();

  /** Literals that are part of a statement read from a call. */
  private final Set<Tree> used = Collections.newSetFromMap(new IdentityHashMap<>());

  private record Unit(String file, CompilationUnitTree tree, SourcePositions positions) {}

  private SqlSources() {}

  /**
   * Scans every {@code .java} file under {@code roots}; {@code relativeTo} shortens the file names.
   */
  static Scan scan(List<Path> roots, Path relativeTo) {
    SqlSources sources = new SqlSources();
    sources.parse(roots, relativeTo);
    return sources.read();
  }

  private void parse(List<Path> roots, Path relativeTo) {
    List<Path> files = new ArrayList<>();
    for (Path root : roots) {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager fm =
        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> objects = fm.getJavaFileObjectsFromPaths(files);
      JavacTask task =
          (JavacTask) javac.getTask(null, fm, d -> {}, List.of("-proc:none"), null, objects);
      SourcePositions positions = Trees.instance(task).getSourcePositions();
      for (CompilationUnitTree tree : task.parse()) {
        Path path = Path.of(tree.getSourceFile().toUri());
        String name = relativeTo.relativize(path.toAbsolutePath().normalize()).toString();
        units.add(new Unit(name, tree, positions));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Unit unit : units) {
      new TreePathScanner<Void, Void>() {
        @Override
        public Void visitVariable(VariableTree node, Void unused) {
          Tree parent = getCurrentPath().getParentPath().getLeaf();
          if (parent instanceof ClassTree owner && node.getInitializer() != null) {
            constants.put(owner.getSimpleName() + "." + node.getName(), getCurrentPath());
          }
          return super.visitVariable(node, unused);
        }
      }.scan(unit.tree(), null);
    }
  }

  private Scan read() {
    List<Found> statements = new ArrayList<>();
    List<Found> unreadable = new ArrayList<>();
    for (Unit unit : units) {
      new TreePathScanner<Void, Void>() {
        @Override
        public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
          String name = calledName(node);
          if (!node.getArguments().isEmpty()
              && (SQL_CALLS.contains(name) || MAYBE_SQL_CALLS.contains(name))) {
            TreePath argument = new TreePath(getCurrentPath(), node.getArguments().get(0));
            Set<Tree> touched = Collections.newSetFromMap(new IdentityHashMap<>());
            List<String> variants = text(argument, 0, touched);
            boolean sql = variants.stream().anyMatch(v -> STATEMENT_START.matcher(v).find());
            if (sql) {
              used.addAll(touched);
              statements.add(new Found(unit.file(), line(unit, node), variants));
            } else if (SQL_CALLS.contains(name) && !isLambdaOrClass(node.getArguments().get(0))) {
              unreadable.add(new Found(unit.file(), line(unit, node), variants));
            }
          }
          return super.visitMethodInvocation(node, unused);
        }
      }.scan(unit.tree(), null);
    }
    List<Found> stray = new ArrayList<>();
    for (Unit unit : units) {
      new TreePathScanner<Void, Void>() {
        @Override
        public Void visitLiteral(LiteralTree node, Void unused) {
          if (node.getValue() instanceof String s
              && STATEMENT_START.matcher(s).find()
              && !used.contains(node)) {
            stray.add(new Found(unit.file(), line(unit, node), List.of(s)));
          }
          return null;
        }
      }.scan(unit.tree(), null);
    }
    return new Scan(statements, unreadable, stray);
  }

  private static boolean isLambdaOrClass(ExpressionTree argument) {
    return argument instanceof LambdaExpressionTree
        || argument instanceof MemberSelectTree select
            && select.getIdentifier().contentEquals("class");
  }

  private static String calledName(MethodInvocationTree node) {
    return switch (node.getMethodSelect()) {
      case MemberSelectTree select -> select.getIdentifier().toString();
      case IdentifierTree id -> id.getName().toString();
      default -> "";
    };
  }

  private static long line(Unit unit, Tree node) {
    return unit.tree()
        .getLineMap()
        .getLineNumber(unit.positions().getStartPosition(unit.tree(), node));
  }

  /**
   * The texts {@code path}'s expression can have; unknown parts are {@code ${source}} placeholders.
   */
  private List<String> text(TreePath path, int depth, Set<Tree> touched) {
    Tree node = path.getLeaf();
    if (depth > MAX_DEPTH) {
      return placeholder(node);
    }
    switch (node) {
      case LiteralTree literal -> {
        touched.add(literal);
        return List.of(String.valueOf(literal.getValue()));
      }
      case ParenthesizedTree parens -> {
        return text(new TreePath(path, parens.getExpression()), depth + 1, touched);
      }
      case TypeCastTree cast -> {
        return text(new TreePath(path, cast.getExpression()), depth + 1, touched);
      }
      case BinaryTree binary when binary.getKind() == Tree.Kind.PLUS -> {
        return concat(
            text(new TreePath(path, binary.getLeftOperand()), depth + 1, touched),
            text(new TreePath(path, binary.getRightOperand()), depth + 1, touched));
      }
      case ConditionalExpressionTree conditional -> {
        List<String> all =
            new ArrayList<>(
                text(new TreePath(path, conditional.getTrueExpression()), depth + 1, touched));
        all.addAll(text(new TreePath(path, conditional.getFalseExpression()), depth + 1, touched));
        return cap(all);
      }
      case IdentifierTree id -> {
        return name(path, id.getName().toString(), depth, touched);
      }
      case MemberSelectTree select -> {
        TreePath constant = constants.get(select.getExpression() + "." + select.getIdentifier());
        if (constant != null) {
          return initializer(constant, depth, touched);
        }
        return placeholder(node);
      }
      case MethodInvocationTree call -> {
        return call(path, call, depth, touched);
      }
      default -> {
        return placeholder(node);
      }
    }
  }

  private List<String> call(
      TreePath path, MethodInvocationTree call, int depth, Set<Tree> touched) {
    String name = calledName(call);
    if (call.getMethodSelect() instanceof MemberSelectTree select) {
      TreePath receiver = new TreePath(path, select.getExpression());
      if (name.equals("toString")
          && call.getArguments().isEmpty()
          && select.getExpression() instanceof IdentifierTree builder) {
        return builder(path, builder.getName().toString(), depth, touched);
      }
      if (name.equals("formatted")) {
        return formatted(
            text(receiver, depth + 1, touched), call.getArguments(), path, depth, touched);
      }
      if (name.equals("format")
          && select.getExpression().toString().equals("String")
          && !call.getArguments().isEmpty()) {
        List<? extends ExpressionTree> args = call.getArguments();
        return formatted(
            text(new TreePath(path, args.get(0)), depth + 1, touched),
            args.subList(1, args.size()),
            path,
            depth,
            touched);
      }
      if (name.equals("strip") || name.equals("trim") || name.equals("stripIndent")) {
        return text(receiver, depth + 1, touched);
      }
      return placeholder(call);
    }
    // A method of the same class: the texts its return statements can have.
    TreePath method = method(path, name, call.getArguments().size());
    if (method == null) {
      return placeholder(call);
    }
    List<String> all = new ArrayList<>();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitReturn(ReturnTree node, Void unused) {
        if (node.getExpression() != null) {
          all.addAll(
              text(new TreePath(getCurrentPath(), node.getExpression()), depth + 1, touched));
        }
        return null;
      }

      @Override
      public Void visitLambdaExpression(LambdaExpressionTree node, Void unused) {
        return null;
      }

      @Override
      public Void visitClass(ClassTree node, Void unused) {
        return null;
      }
    }.scan(new TreePath(method, ((MethodTree) method.getLeaf()).getBody()), null);
    return all.isEmpty() ? placeholder(call) : cap(all);
  }

  private List<String> formatted(
      List<String> formats,
      List<? extends ExpressionTree> args,
      TreePath path,
      int depth,
      Set<Tree> touched) {
    List<String> out = formats;
    for (ExpressionTree arg : args) {
      List<String> values = text(new TreePath(path, arg), depth + 1, touched);
      List<String> next = new ArrayList<>();
      for (String format : out) {
        int at = format.indexOf("%s");
        if (at < 0) {
          next.add(format);
          continue;
        }
        for (String value : values) {
          next.add(format.substring(0, at) + value + format.substring(at + 2));
        }
      }
      out = cap(next);
    }
    return out;
  }

  /** The texts a name can have: a local variable, a loop variable, a parameter, a field. */
  private List<String> name(TreePath path, String name, int depth, Set<Tree> touched) {
    for (TreePath at = path; at != null; at = at.getParentPath()) {
      Tree leaf = at.getLeaf();
      switch (leaf) {
        case BlockTree block -> {
          for (Tree statement : block.getStatements()) {
            if (statement instanceof VariableTree variable
                && variable.getName().contentEquals(name)) {
              return local(new TreePath(at, variable), at, depth, touched);
            }
          }
        }
        case EnhancedForLoopTree loop when loop.getVariable().getName().contentEquals(name) -> {
          return elements(new TreePath(at, loop.getExpression()), depth, touched);
        }
        case MethodTree method -> {
          for (int i = 0; i < method.getParameters().size(); i++) {
            if (method.getParameters().get(i).getName().contentEquals(name)) {
              return parameter(at, i, depth, touched);
            }
          }
        }
        case LambdaExpressionTree lambda -> {
          for (VariableTree parameter : lambda.getParameters()) {
            if (parameter.getName().contentEquals(name)) {
              return placeholder(name);
            }
          }
        }
        case ClassTree owner -> {
          for (Tree member : owner.getMembers()) {
            if (member instanceof VariableTree field
                && field.getName().contentEquals(name)
                && field.getInitializer() != null) {
              return initializer(new TreePath(at, field), depth, touched);
            }
          }
        }
        default -> {}
      }
    }
    return placeholder(name);
  }

  /** A local variable: its initializer and every value assigned to it in the block. */
  private List<String> local(TreePath variable, TreePath block, int depth, Set<Tree> touched) {
    VariableTree tree = (VariableTree) variable.getLeaf();
    boolean builder =
        tree.getType() != null && tree.getType().toString().equals("StringBuilder")
            || tree.getInitializer() instanceof NewClassTree created
                && created.getIdentifier().toString().equals("StringBuilder");
    if (builder) {
      return builder(variable, tree.getName().toString(), depth, touched);
    }
    List<String> all = new ArrayList<>();
    if (tree.getInitializer() != null) {
      all.addAll(text(new TreePath(variable, tree.getInitializer()), depth + 1, touched));
    }
    String name = tree.getName().toString();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitAssignment(AssignmentTree node, Void unused) {
        if (node.getVariable() instanceof IdentifierTree id && id.getName().contentEquals(name)) {
          all.addAll(
              text(new TreePath(getCurrentPath(), node.getExpression()), depth + 1, touched));
        }
        return super.visitAssignment(node, unused);
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree node, Void unused) {
        if (node.getVariable() instanceof IdentifierTree id && id.getName().contentEquals(name)) {
          // Appended pieces: each value gets them, in order (conditions around them are ignored).
          List<String> piece =
              text(new TreePath(getCurrentPath(), node.getExpression()), depth + 1, touched);
          List<String> grown = concat(List.copyOf(all), piece);
          all.clear();
          all.addAll(grown);
        }
        return super.visitCompoundAssignment(node, unused);
      }
    }.scan(block, null);
    return all.isEmpty() ? placeholder(name) : cap(all);
  }

  /**
   * A {@code StringBuilder}: its initial text and what the block appends to it directly, in order
   * (appends made inside helper methods add optional conditions and are left out: the statement
   * must be scoped without them).
   */
  private List<String> builder(TreePath from, String name, int depth, Set<Tree> touched) {
    TreePath declaration = null;
    TreePath block = null;
    for (TreePath at = from; at != null && declaration == null; at = at.getParentPath()) {
      if (at.getLeaf() instanceof BlockTree tree) {
        for (Tree statement : tree.getStatements()) {
          if (statement instanceof VariableTree variable
              && variable.getName().contentEquals(name)) {
            declaration = new TreePath(at, variable);
            block = at;
          }
        }
      }
    }
    if (declaration == null) {
      return placeholder(name);
    }
    VariableTree variable = (VariableTree) declaration.getLeaf();
    List<String> all = new ArrayList<>(List.of(""));
    if (variable.getInitializer() != null) {
      all = start(new TreePath(declaration, variable.getInitializer()), name, depth, touched);
    }
    List<List<String>> appends = new ArrayList<>();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
        // Chains are visited outermost first; their appends are collected innermost first.
        List<List<String>> chain = new ArrayList<>();
        ExpressionTree at = node;
        TreePath atPath = getCurrentPath();
        while (at instanceof MethodInvocationTree call
            && call.getMethodSelect() instanceof MemberSelectTree select
            && select.getIdentifier().contentEquals("append")
            && call.getArguments().size() == 1) {
          chain.addFirst(
              text(new TreePath(atPath, call.getArguments().get(0)), depth + 1, touched));
          at = select.getExpression();
          atPath = new TreePath(atPath, at);
        }
        if (!chain.isEmpty()
            && at instanceof IdentifierTree id
            && id.getName().contentEquals(name)) {
          appends.addAll(chain);
          return null;
        }
        return super.visitMethodInvocation(node, unused);
      }
    }.scan(block, null);
    for (List<String> piece : appends) {
      all = concat(all, piece);
    }
    return all;
  }

  /** {@code new StringBuilder(x).append(y)...} as a builder's initializer. */
  private List<String> start(TreePath path, String name, int depth, Set<Tree> touched) {
    Tree node = path.getLeaf();
    if (node instanceof NewClassTree created) {
      if (created.getArguments().size() == 1) {
        return text(new TreePath(path, created.getArguments().get(0)), depth + 1, touched);
      }
      return List.of("");
    }
    if (node instanceof MethodInvocationTree call
        && call.getMethodSelect() instanceof MemberSelectTree select
        && select.getIdentifier().contentEquals("append")
        && call.getArguments().size() == 1) {
      return concat(
          start(new TreePath(path, select.getExpression()), name, depth, touched),
          text(new TreePath(path, call.getArguments().get(0)), depth + 1, touched));
    }
    return placeholder(name);
  }

  /**
   * The elements of {@code List.of(...)}, {@code Set.of(...)} or an array initializer a loop runs
   * over.
   */
  private List<String> elements(TreePath path, int depth, Set<Tree> touched) {
    List<? extends ExpressionTree> items =
        switch (path.getLeaf()) {
          case MethodInvocationTree call
              when calledName(call).equals("of") || calledName(call).equals("asList") ->
              call.getArguments();
          case NewArrayTree array when array.getInitializers() != null -> array.getInitializers();
          default -> null;
        };
    if (items == null) {
      return placeholder(path.getLeaf());
    }
    List<String> all = new ArrayList<>();
    for (ExpressionTree item : items) {
      all.addAll(text(new TreePath(path, item), depth + 1, touched));
    }
    return cap(all);
  }

  /** A parameter: what the calls of its method in the same file pass, or a placeholder. */
  private List<String> parameter(TreePath method, int index, int depth, Set<Tree> touched) {
    MethodTree tree = (MethodTree) method.getLeaf();
    String name = tree.getName().toString();
    int arity = tree.getParameters().size();
    boolean varargs = tree.getParameters().getLast().toString().contains("...");
    List<String> all = new ArrayList<>();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
        int args = node.getArguments().size();
        if (calledName(node).equals(name)
            && (args == arity || varargs && args >= arity - 1)
            && (node.getMethodSelect() instanceof IdentifierTree
                || node.getMethodSelect() instanceof MemberSelectTree s
                    && s.getExpression().toString().equals("this"))) {
          all.addAll(
              text(
                  new TreePath(getCurrentPath(), node.getArguments().get(index)),
                  depth + 1,
                  touched));
        }
        return super.visitMethodInvocation(node, unused);
      }
    }.scan(compilationUnit(method), null);
    return all.isEmpty()
        ? placeholder(tree.getParameters().get(index).getName().toString())
        : cap(all);
  }

  private List<String> initializer(TreePath variable, int depth, Set<Tree> touched) {
    VariableTree tree = (VariableTree) variable.getLeaf();
    return text(new TreePath(variable, tree.getInitializer()), depth + 1, touched);
  }

  private static TreePath compilationUnit(TreePath path) {
    TreePath at = path;
    while (at.getParentPath() != null) {
      at = at.getParentPath();
    }
    return at;
  }

  /** The method {@code name} with {@code arity} parameters of the class around {@code path}. */
  private static TreePath method(TreePath path, String name, int arity) {
    for (TreePath at = path; at != null; at = at.getParentPath()) {
      if (at.getLeaf() instanceof ClassTree owner) {
        for (Tree member : owner.getMembers()) {
          if (member instanceof MethodTree method
              && method.getName().contentEquals(name)
              && method.getParameters().size() == arity
              && method.getBody() != null) {
            return new TreePath(at, method);
          }
        }
      }
    }
    return null;
  }

  private static List<String> concat(List<String> left, List<String> right) {
    Set<String> out = new LinkedHashSet<>();
    for (String l : left) {
      for (String r : right) {
        out.add(l + r);
      }
    }
    return cap(new ArrayList<>(out));
  }

  private static List<String> cap(List<String> variants) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(variants));
    return distinct.size() > MAX_VARIANTS
        ? List.copyOf(distinct.subList(0, MAX_VARIANTS))
        : List.copyOf(distinct);
  }

  private static List<String> placeholder(Object source) {
    return List.of("${" + source.toString().replaceAll("\\s+", " ") + "}");
  }
}
