using System.Globalization;
using System.Runtime.CompilerServices;
using Backcall.Core.Authorizations;

namespace Backcall.Core.Tests.Authorizations;

public sealed class ShardedDictionaryTests
{
    [Fact]
    public void Answers_as_one_dictionary_would_through_adds_replaces_removes_and_walks()
    {
        var random = new Random(20261201);
        var sharded = new ShardedDictionary<string, int>(StringComparer.Ordinal);
        var model = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var step = 0; step < 20_000; step++)
        {
            var key = "+7900" + random.Next(3_000).ToString("0000000", CultureInfo.InvariantCulture);
            switch (random.Next(5))
            {
                case 0:
                case 1:
                    sharded[key] = step;
                    model[key] = step;
                    break;
                case 2:
                    Assert.Equal(model.Remove(key), sharded.Remove(key));
                    break;
                case 3:
                    ref var slot = ref sharded.GetValueRefOrAddDefault(key, out var existed);
                    Assert.Equal(model.ContainsKey(key), existed);
                    slot++;
                    model[key] = model.GetValueOrDefault(key) + 1;
                    break;
                default:
                    ref var found = ref sharded.GetValueRefOrNullRef(key);
                    Assert.Equal(model.ContainsKey(key), !Unsafe.IsNullRef(ref found));
                    break;
            }

            Assert.Equal(model.TryGetValue(key, out var expected), sharded.TryGetValue(key, out var actual));
            Assert.Equal(expected, actual);
        }

        Assert.Equal(model.Count, sharded.Count);
        Assert.Equal(model.Values.Order(), sharded.Values.Order());

        var removed = sharded.RemoveWhere((key, value) => value % 3 == 0 || key.EndsWith('7'));
        Assert.Equal(model.Count(e => e.Value % 3 == 0 || e.Key.EndsWith('7')), removed);
        Assert.Equal(model.Count - removed, sharded.Count);
        Assert.All(sharded.Values, value => Assert.NotEqual(0, value % 3));
    }

    [Fact]
    public void Spreads_sequential_ids_and_phones_evenly_so_no_table_reaches_the_large_object_heap()
    {
        // 100,000 live authorizations, as the memory benchmark holds: ids come in order, phones differ in their
        // last digits. An entry of the largest map (a token and a phone to RecentTimes) is 40 bytes.
        const int Keys = 100_000;
        const int EntryBytes = 40;
        var byId = new ShardedDictionary<long, long>();
        var byPhone = new ShardedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < Keys; i++)
        {
            byId[1_000_000 + i] = i;
            byPhone["+7900" + i.ToString("0000000", CultureInfo.InvariantCulture)] = i;
        }

        foreach (var map in new[] { byId.Shards(), byPhone.Shards() })
        {
            var shards = map.ToList();
            var mean = Keys / shards.Count;
            Assert.All(shards, s => Assert.InRange(s.Count, mean / 2, mean * 2));
            Assert.All(shards, s => Assert.True(s.Capacity * EntryBytes < 85_000, $"a table of {s.Capacity}"));
        }
    }
}
