package io.github.gsbridge.credentials;

import org.ini4j.Config;
import org.ini4j.InvalidFileFormatException;
import org.ini4j.spi.IniHandler;
import org.ini4j.spi.IniParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code dconf dump} output: sections such as {@code [/]} or {@code [device/<id>]} holding
 * {@code key=GVariant text} lines.
 *
 * <p>ini4j splits the lines; it is configured not to unescape backslashes, join lines ending in a
 * backslash, accept options outside a section or options without a value, or follow include lines,
 * so the value text reaches {@link GVariantText} exactly as dconf printed it. ini4j only treats
 * whole lines starting with {@code ;} or {@code #} as comments; dconf never prints such lines, and
 * {@code ;} or {@code #} inside a value are kept. ini4j also accepts {@code :} as the key/value
 * separator: GSConnect's keys never contain one, and a key that did would be split there and its
 * value would then fail to parse rather than be misread.
 */
public final class DconfDump {
    private static final Logger LOG = LoggerFactory.getLogger(DconfDump.class);

    private DconfDump() {}

    /**
     * Section name → key → parsed value, both in dump order. A value that is not GVariant text as
     * {@link GVariantText} reads it is left out with a warning naming its section and key: any
     * program may write any key there, and one value gsbridge cannot read must not cost the rest.
     *
     * @throws DconfFormatException for broken INI structure or a repeated section or key
     */
    public static Map<String, Map<String, Object>> parse(String dumpText) {
        Map<String, Map<String, String>> raw = splitSections(dumpText);
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        raw.forEach((section, options) -> {
            Map<String, Object> values = new LinkedHashMap<>();
            options.forEach((key, text) -> {
                try {
                    values.put(key, GVariantText.parse(text));
                } catch (GVariantParseException e) {
                    LOG.warn("dconf: ignoring [{}] {}, which gsbridge cannot read: {}", section, key, e.getMessage());
                }
            });
            sections.put(section, Collections.unmodifiableMap(values));
        });
        return Collections.unmodifiableMap(sections);
    }

    private static Map<String, Map<String, String>> splitSections(String dumpText) {
        Collector collector = new Collector();
        try {
            IniParser.newInstance(strictConfig()).parse(new StringReader(dumpText), collector);
        } catch (InvalidFileFormatException e) {
            throw new DconfFormatException("dconf dump: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string cannot fail", e);
        }
        return collector.sections;
    }

    // Every relevant switch is set, because Config's defaults can be changed through system properties.
    private static Config strictConfig() {
        Config config = new Config();
        config.setEscape(false);
        config.setEscapeNewline(false);
        config.setGlobalSection(false);
        config.setEmptyOption(false);
        config.setUnnamedSection(false);
        config.setInclude(false);
        config.setLowerCaseOption(false);
        config.setLowerCaseSection(false);
        return config;
    }

    private static final class Collector implements IniHandler {
        final Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        private String section;

        @Override
        public void startIni() {}

        @Override
        public void endIni() {}

        @Override
        public void startSection(String name) {
            if (sections.containsKey(name)) {
                throw new DconfFormatException("dconf dump: section [" + name + "] appears twice");
            }
            section = name;
            sections.put(name, new LinkedHashMap<>());
        }

        @Override
        public void endSection() {
            section = null;
        }

        @Override
        public void handleOption(String name, String value) {
            if (sections.get(section).putIfAbsent(name, value) != null) {
                throw new DconfFormatException("dconf dump: [" + section + "] " + name + " appears twice");
            }
        }

        @Override
        public void handleComment(String comment) {}
    }
}
