package io.github.gsbridge;

import io.github.gsbridge.daemon.PluginCatalog;
import io.github.gsbridge.desktop.NotificationKind;
import io.github.gsbridge.plugin.PluginModule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The layering the code keeps, read from the imports of src/main/java: a dependency that goes
 * the wrong way makes the packages one tangle, where nothing can be understood, tested or
 * changed alone.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/io/github/gsbridge");
    private static final Pattern IMPORT = Pattern.compile(
            "^import (?:static )?io\\.github\\.gsbridge\\.((?:[a-z][a-z0-9]*\\.)*?[a-z][a-z0-9]*)\\.[A-Z]",
            Pattern.MULTILINE);

    /** Each package (dotted, below io.github.gsbridge) and the other gsbridge packages it imports. */
    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> used = graph.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher matcher = IMPORT.matcher(Files.readString(file));
                while (matcher.find()) {
                    if (!matcher.group(1).equals(pkg)) {
                        used.add(matcher.group(1));
                    }
                }
            }
        }
        return graph;
    }

    @Test
    void theSourcesAreWhereThisTestLooks() throws IOException {
        assertFalse(imports().getOrDefault("daemon", Set.of()).isEmpty(), "daemon wires the others");
    }

    @Test
    void theHandoverKnowsOnlyItsPortUserNotTheDaemon() throws IOException {
        assertFalse(imports().get("handover").contains("daemon"), "handover imports " + imports().get("handover"));
    }

    @Test
    void threadsAndTheWireFormatDependOnNoOtherPackage() throws IOException {
        Map<String, Set<String>> graph = imports();
        assertEquals(Set.of(), graph.get("threads"), "threads");
        assertEquals(Set.of(), graph.get("wire"), "wire");
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() throws IOException {
        Map<String, Set<String>> graph = imports();
        for (String start : graph.keySet()) {
            Set<String> reached = new TreeSet<>();
            java.util.Deque<String> todo = new java.util.ArrayDeque<>(graph.get(start));
            while (!todo.isEmpty()) {
                String next = todo.pop();
                if (reached.add(next)) {
                    todo.addAll(graph.getOrDefault(next, Set.of()));
                }
            }
            assertFalse(reached.contains(start), start + " is in a cycle: it reaches " + reached);
        }
    }

    /**
     * A capability is its package and one line in the catalog: the D-Bus layer, the command line
     * and the desktop loop over what plugins contribute, through the plugin package's interfaces.
     */
    @Test
    void onlyTheCatalogNamesAPlugin() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Matcher matcher = IMPORT.matcher(Files.readString(file));
                while (matcher.find()) {
                    String used = matcher.group(1);
                    boolean aPlugin = used.startsWith("plugin.");
                    boolean inside = pkg.equals(used) || file.endsWith("daemon/PluginCatalog.java");
                    assertFalse(aPlugin && !inside, SOURCES.relativize(file) + " names the plugin package " + used);
                }
            }
        }
    }

    /**
     * What a plugin knows of its notifications and its settings stays in its package too: the
     * desktop and the dconf reader name no plugin's notification kind, GSConnect settings path or
     * key, but loop over what the plugins declare.
     */
    @Test
    void theDesktopAndTheDconfReaderKnowNoPluginsSpecifics() throws IOException {
        Pattern literal = Pattern.compile("\"((?:[^\"\\\\]++|\\\\.)*+)\"");
        for (String pkg : List.of("desktop", "credentials")) {
            try (Stream<Path> files = Files.list(SOURCES.resolve(pkg))) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                    String code = withoutComments(Files.readString(file));
                    List<String> texts = literal.matcher(code).results().map(m -> m.group(1)).toList();
                    for (PluginModule module : PluginCatalog.MODULES) {
                        String where = SOURCES.relativize(file) + " names the plugin " + module.name();
                        assertFalse(texts.contains(module.name()), where);
                        assertFalse(texts.stream().anyMatch(text -> text.contains("plugin/" + module.name())), where
                                + "'s GSConnect settings");
                        for (NotificationKind kind : module.notificationKinds()) {
                            assertFalse(texts.contains(kind.label())
                                    || Pattern.compile("\\b" + kind.label().toUpperCase(Locale.ROOT) + "\\b")
                                    .matcher(code).find(), where + "'s notification kind " + kind.label());
                        }
                    }
                }
            }
        }
    }

    private static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)^\\s*//.*$", "");
    }
}
