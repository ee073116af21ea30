using Backcall.Core.Phones;

namespace Backcall.Core.Tests.Phones;

public sealed class PhoneParserTests
{
    private readonly PhoneParser _parser = new("RU");

    [Theory]
    [InlineData("89001234567")]
    [InlineData("79001234567")]
    [InlineData("+79001234567")]
    [InlineData("+7 (900) 123-45-67")]
    [InlineData("9001234567")]
    [InlineData("8 900 123 45 67")]
    [InlineData("+7.900.123.45.67")]
    [InlineData(" 89001234567 ")]
    public void Accepts_the_forms_clients_send(string input)
    {
        Assert.True(_parser.TryNormalize(input, out var phone));
        Assert.Equal("+79001234567", phone.Value);
        Assert.Equal("89001234567", phone.ContractPhone);
        Assert.Equal("79001234567", phone.InternationalDigits);
    }

    [Theory]
    [InlineData("+442071838750", "+442071838750", "442071838750")]
    [InlineData("+1 (650) 253-0000", "+16502530000", "16502530000")]
    [InlineData("+380 44 123 4567", "+380441234567", "380441234567")]
    public void Accepts_international_numbers_and_answers_them_as_e164_digits(
        string input, string e164, string contract)
    {
        Assert.True(_parser.TryNormalize(input, out var phone));
        Assert.Equal(e164, phone.Value);
        Assert.Equal(contract, phone.ContractPhone);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("8900123456a")]
    [InlineData("8-800-FLOWERS")]
    [InlineData("12345")]
    [InlineData("890012345678901234")]
    [InlineData("++79001234567")]
    [InlineData("7900+1234567")]
    [InlineData("89001234567; DROP TABLE")]
    [InlineData("0000000000")]
    public void Refuses_what_is_not_a_phone(string? input)
    {
        Assert.False(_parser.TryNormalize(input, out _));
    }

    [Fact]
    public void Pool_numbers_need_only_be_possible()
    {
        Assert.True(_parser.TryNormalize("+79640000001", "RU", requireValid: false, out var number));
        Assert.Equal("+79640000001", number.Value);
    }

    [Fact]
    public void Unknown_region_is_a_clear_configuration_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PhoneParser("XX"));
        Assert.Contains("XX", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void E164_rejects_malformed_values()
    {
        Assert.Throws<ArgumentException>(() => new E164Phone("79001234567"));
        Assert.Throws<ArgumentException>(() => new E164Phone("+7900abc"));
    }

    [Fact]
    public void Masking_keeps_the_country_and_the_last_four_digits()
    {
        Assert.Equal("+7******4567", PhoneMasking.Mask("+79001234567"));
    }
}
