using Backcall.Core.Storage;

namespace Backcall.Storage.Tests.Contract;

/// <summary>
/// The one read a call makes when memory has no answer: the newest authorization of its pair and the newest identify
/// authorization on its number, each in any state, as another node wrote them.
/// </summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task A_calls_candidates_are_the_newest_of_its_pair_and_of_identify_mode_on_its_number()
    {
        await Store.AddNumberAsync(N1, T0);
        await Store.AddNumberAsync(N2, T0);
        var token = await TokenAsync();
        var other = AnotherNode();

        var oldPair = await CreateAsync(token, N1, P1);
        var elsewhere = await CreateAsync(token, N2, P1);
        var otherPhone = await CreateAsync(token, N1, P2);
        var oldIdentify = await CreateAsync(token, N2, null, T0 + Lifetime);
        var newPair = await CreateAsync(token, N1, P1, T0 + Lifetime);
        var newIdentify = await CreateAsync(token, N2, null, T0 + (Lifetime * 2));

        Assert.Equal(new CallCandidates(newPair, null), await other.FindCallCandidatesAsync(N1, P1));
        Assert.Equal(new CallCandidates(otherPhone, null), await other.FindCallCandidatesAsync(N1, P2));
        Assert.Equal(new CallCandidates(elsewhere, newIdentify), await other.FindCallCandidatesAsync(N2, P1));
        Assert.Equal(new CallCandidates(null, newIdentify), await other.FindCallCandidatesAsync(N2, P2));
        Assert.NotEqual(oldPair.Id, newPair.Id);
        Assert.NotEqual(oldIdentify.Id, newIdentify.Id);
    }
}
