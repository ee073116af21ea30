using Backcall.Core.Tokens;

namespace Backcall.Server.Hosting;

/// <summary>
/// Secrets the server generates for itself on first start (admin key, PBX key): kept in the data directory,
/// readable by the owner only, so the CLI and the operator can find them again.
/// </summary>
public static class KeyFiles
{
    /// <summary>The key from configuration, else from the file, else a new one written to the file.</summary>
    /// <param name="created">True when the key was generated now (so it should be shown once).</param>
    public static string LoadOrCreate(string? configured, string path, out bool created)
    {
        created = false;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }

        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length >= 16)
            {
                return existing;
            }
        }

        DataFiles.PrepareDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = TokenSecrets.NewKey(24);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (
            var writer = new StreamWriter(
                path,
                new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
                options))
        {
            writer.Write(key + "\n");
        }

        created = true;
        return key;
    }
}
