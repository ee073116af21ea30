namespace Backcall.Server.Tests.Bench;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BenchCollection
{
    public const string Name = "bench (runs alone)";
}
