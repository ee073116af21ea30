namespace Backcall.Server.Tests.Infrastructure;

/// <summary>Where things are in the repository, found from the test assembly's location.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration these tests were built in (Debug or Release).</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>
    /// The real <c>backcall</c> program as built by the server project (not a copy in the test folder).
    /// </summary>
    public static string BackcallDll { get; } =
        Path.Combine(Root, "src", "Backcall.Server", "bin", Configuration, "net10.0", "backcall.dll");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Backcall.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName
            ?? throw new InvalidOperationException("Backcall.slnx not found above " + AppContext.BaseDirectory);
    }
}
