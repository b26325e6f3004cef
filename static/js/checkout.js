// Checkout (templates/orders/checkout.html). A saved address chosen in a picker fills the address
// text (and the country) below it, so the buyer sees what the order will say; the server uses the
// saved address by its id either way. Editing the filled text turns it into a new address. The
// supplier's deposit field shows only under deposit terms, and the note on freight follows the
// Incoterm. Without JavaScript every field shows and the form posts the same.
(function () {
  "use strict";

  function ready(form) {
    var filling = false;

    function picker(select, text, country, newOnly) {
      if (!select || select.tagName !== "SELECT") {
        return;
      }
      var block = newOnly ? form.querySelector(newOnly) : null;
      function show() {
        if (block) {
          block.hidden = select.value !== "new";
        }
      }
      select.addEventListener("change", function () {
        var option = select.options[select.selectedIndex];
        filling = true;
        if (select.value === "new") {
          text.value = "";
          text.focus();
        } else if (option.hasAttribute("data-text")) {
          text.value = option.getAttribute("data-text");
          if (country && option.getAttribute("data-country")) {
            country.value = option.getAttribute("data-country");
          }
        }
        filling = false;
        show();
      });
      [text, country].forEach(function (input) {
        if (!input) {
          return;
        }
        input.addEventListener("input", function () {
          if (!filling && select.value !== "new" && select.value !== "same") {
            select.value = "new"; // what is typed is no longer the saved address
            show();
          }
        });
      });
      show();
    }

    picker(
      form.querySelector("[data-fills=shipping]"),
      form.querySelector("[name=shipping_address]"),
      form.querySelector("[name=ship_to_country]"),
      "[data-new-address-only]"
    );
    picker(
      form.querySelector("[data-fills=billing]"),
      form.querySelector("[name=billing_address]"),
      null,
      null
    );
    var bill = form.querySelector("[data-fills=billing]");
    var billText = form.querySelector("[data-billing-text]");
    function showBilling() {
      billText.hidden = bill.value === "same";
    }
    if (bill && billText) {
      bill.addEventListener("change", showBilling);
      showBilling();
    }

    function purchaseTerms() {
      var checked = form.querySelector("[data-payment-terms]:checked");
      return checked ? checked.value : "";
    }
    function showSupplierTerms() {
      form.querySelectorAll("[data-supplier-terms]").forEach(function (section) {
        var own = section.querySelector("[data-supplier-payment-terms]");
        var terms = (own && own.value) || purchaseTerms();
        var deposit = section.querySelector("[data-supplier-deposit]");
        if (deposit) {
          deposit.hidden = terms !== "deposit";
        }
        var incoterm = section.querySelector("[data-incoterm]");
        var option = incoterm && incoterm.options[incoterm.selectedIndex];
        var charges = option ? option.getAttribute("data-charges") : "";
        section.querySelectorAll("[data-charges-note]").forEach(function (note) {
          note.hidden = note.getAttribute("data-charges-note") !== charges;
        });
      });
    }
    form.addEventListener("change", showSupplierTerms);
    showSupplierTerms();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-checkout]");
    if (form) {
      ready(form);
    }
  });
})();
