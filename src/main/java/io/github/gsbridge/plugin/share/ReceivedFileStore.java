package io.github.gsbridge.plugin.share;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * Writes a received file into a download folder so that only a complete file ever appears under
 * its final name: the bytes go to a hidden temporary file beside it, which is published only once
 * exactly the announced size arrived, under a name no other file has.
 */
final class ReceivedFileStore {
    private static final Logger LOG = LoggerFactory.getLogger(ReceivedFileStore.class);
    static final String PART_SUFFIX = ".gsbridge-part";
    /** Large enough that a 1 Gbit/s link costs few system calls; one per running download. */
    private static final int BUFFER = 1024 * 1024;
    /** Room for the dot, random tag and suffix of the temporary name within NAME_MAX. */
    private static final int TEMP_STEM_BYTES = 200;
    private static final int MAX_NUMBER = 9999;
    /**
     * Choosing a free name and taking it is one step for all transfers of this process; the
     * link-based publish is atomic anyway, this also covers the rename fallback.
     */
    private static final Object PUBLISH = new Object();
    /** Our temporary names: hidden, the stem, 8 hex digits, the suffix. */
    private static final Pattern PART_NAME = Pattern.compile("\\..*\\.[0-9a-f]{8}" + Pattern.quote(PART_SUFFIX));
    /**
     * A running download writes its temporary file every few milliseconds; one untouched this long
     * was left by a gsbridge that was killed or lost power mid-transfer.
     */
    static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    /** Folders already swept for abandoned temporary files by this process. */
    private final Set<Path> swept = ConcurrentHashMap.newKeySet();

    /**
     * Copies exactly {@code size} bytes of {@code in} into {@code folder} as {@code safeName} (or
     * {@code safeName (n)} when taken) and returns the final path; {@code progress} gets each
     * chunk's byte count. On any failure nothing is left behind.
     */
    Path write(Path folder, String safeName, InputStream in, long size, OptionalLong lastModified,
               LongConsumer progress) throws IOException {
        Path dir = folder.toRealPath();
        if (swept.add(dir)) {
            removeAbandonedParts(dir);
        }
        Path temp = null;
        try {
            OutputStream out = null;
            while (out == null) {
                temp = dir.resolve("." + SafeFileName.truncate(safeName, TEMP_STEM_BYTES) + "."
                        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + PART_SUFFIX);
                try {
                    // CREATE_NEW is O_EXCL: never an existing file, never through a symlink.
                    out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    temp = null;
                }
            }
            try (OutputStream file = out) {
                copy(in, file, size, progress);
            }
            Path published = publish(dir, safeName, temp);
            // Only now: a temporary file with an old time would look abandoned to another sweep.
            if (lastModified.isPresent()) {
                try {
                    Files.setLastModifiedTime(published, FileTime.fromMillis(lastModified.getAsLong()));
                } catch (IOException e) {
                    LOG.warn("{} arrived whole, but its modification time could not be set: {}", published,
                            e.getMessage());
                }
            }
            return published;
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    /**
     * A TLS stream gives at most one record (16 KiB) per read: the buffer is filled before it is
     * written, so a file takes one write call per {@link #BUFFER} rather than one per record.
     * Progress still counts each read.
     */
    private static void copy(InputStream in, OutputStream out, long size, LongConsumer progress) throws IOException {
        byte[] buffer = new byte[(int) Math.min(BUFFER, Math.max(size, 1))];
        long done = 0;
        int filled = 0;
        while (done < size) {
            int n = in.read(buffer, filled, (int) Math.min(buffer.length - filled, size - done));
            if (n < 0) {
                throw new EOFException("the payload ended after " + done + " of " + size + " bytes");
            }
            filled += n;
            done += n;
            progress.accept(n);
            if (filled == buffer.length || done == size) {
                out.write(buffer, 0, filled);
                filled = 0;
            }
        }
    }

    /** Gives the complete temporary file its final name; the caller removes the temporary name. */
    private static Path publish(Path dir, String safeName, Path temp) throws IOException {
        synchronized (PUBLISH) {
            boolean linksWork = true;
            for (int n = 0; n <= MAX_NUMBER; n++) {
                String candidate = n == 0 ? safeName : SafeFileName.numbered(safeName, n);
                Path target = dir.resolve(candidate);
                if (!dir.equals(target.getParent()) || !target.getFileName().toString().equals(candidate)) {
                    throw new IOException("refused name '" + candidate + "': it leaves " + dir);
                }
                if (linksWork) {
                    try {
                        // link(2) fails with EEXIST on any existing entry, dangling symlinks included.
                        Files.createLink(target, temp);
                        return target;
                    } catch (FileAlreadyExistsException e) {
                        continue;
                    } catch (IOException | UnsupportedOperationException e) {
                        LOG.debug("no hard links in {} ({}); renaming instead", dir, e.getMessage());
                        linksWork = false;
                    }
                }
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try {
                    // Without REPLACE_EXISTING the move refuses an existing target, and PUBLISH
                    // keeps our own transfers from racing for the name.
                    Files.move(temp, target);
                    return target;
                } catch (FileAlreadyExistsException e) {
                    LOG.debug("{} appeared meanwhile; trying the next name", target);
                }
            }
            throw new IOException("no free name for '" + safeName + "' in " + dir + " up to (" + MAX_NUMBER + ")");
        }
    }

    /** Removes what downloads cut short by a crash left behind: only our own, long-untouched temporary files. */
    private static void removeAbandonedParts(Path dir) {
        FileTime cutoff = FileTime.from(Instant.now().minus(ABANDONED_AFTER));
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, path -> {
            String name = path.getFileName().toString();
            return name.endsWith(PART_SUFFIX) && PART_NAME.matcher(name).matches();
        })) {
            for (Path part : parts) {
                BasicFileAttributes attributes = Files.readAttributes(part, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (attributes.isRegularFile() && attributes.lastModifiedTime().compareTo(cutoff) < 0) {
                    LOG.info("removing {}: a download cut short over an hour ago left it", part);
                    deleteQuietly(part);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot look for abandoned temporary files in {}: {}", dir, e.getMessage());
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warn("cannot remove the temporary file {}: {}", temp, e.getMessage());
        }
    }
}
