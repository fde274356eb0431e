package dev.apoptosis.data;

import static dev.apoptosis.data.TestFiles.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16's promise that no reader follows a path outside its folder: symbolic links in an image folder. */
class FolderLinksTest {
    @TempDir
    Path dir;

    @Test
    void aLinkInsideTheFolderIsFollowedOneLeadingOutIsRefused() throws IOException {
        Path root = dir.resolve("train");
        ImageFolderTest.writeTree(root, 4, 4);
        Files.createSymbolicLink(root.resolve("a_cat/c.png"), root.resolve("b_dog/z.png"));
        assertEquals(6, ImageFolder.loadFolder(root, null, "t").dataset().size());

        Path outside = dir.resolve("elsewhere.png");
        TestFiles.writePng(ImageFolderTest.image(4, 4, 9), outside);
        Files.createSymbolicLink(root.resolve("a_cat/d.png"), outside);
        DatasetException e = assertThrows(DatasetException.class, () -> ImageFolder.loadFolder(root, null, "t"));
        assertMentions(e.getMessage(), "d.png", "outside the image folder");

        Files.delete(root.resolve("a_cat/d.png"));
        Files.createSymbolicLink(root.resolve("z_class"), dir);
        assertMentions(assertThrows(DatasetException.class, () -> ImageFolder.loadFolder(root, null, "t")).getMessage(),
                "z_class", "outside the image folder");
    }
}
