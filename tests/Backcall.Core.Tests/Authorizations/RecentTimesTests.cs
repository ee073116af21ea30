using Backcall.Core.Authorizations;

namespace Backcall.Core.Tests.Authorizations;

public sealed class RecentTimesTests
{
    [Fact]
    public void Behaves_as_a_queue_through_the_inline_time_the_ring_and_its_growth()
    {
        // A seeded walk of adds and removals from both ends, checked against a plain list after every step.
        var random = new Random(1234);
        var times = default(RecentTimes);
        var model = new List<long>();
        long clock = 0;
        for (var step = 0; step < 20_000; step++)
        {
            var roll = random.Next(10);
            if (roll < 5 || model.Count == 0)
            {
                times.Add(++clock);
                model.Add(clock);
            }
            else if (roll < 8)
            {
                times.RemoveOldest();
                model.RemoveAt(0);
            }
            else
            {
                times.RemoveNewest();
                model.RemoveAt(model.Count - 1);
            }

            Assert.Equal(model.Count, times.Count);
            if (model.Count > 0)
            {
                Assert.Equal(model[0], times.Oldest);
                Assert.Equal(model[^1], times.Newest);
            }
        }
    }
}
