// GENERATED FILE, DO NOT EDIT. Regenerate with `node scripts/gen-dcc-types.mjs`.
// Source: ehn-dcc-development/eu-dcc-valuesets@60ea3d8643b004a5b9d44a698e223775d5916916 (release 2.12.0, Apache-2.0)

/**
 * Verbatim copies of the eHN value-set files (release 2.12.0) that loadValueSets() reads:
 * the value sets a DCC payload refers to and Annex A (vaccine-encoding-instructions.json).
 * Why a copy: the deployed service must check codes without the sibling ../shared folder, which
 * only developer and CI machines have. A test asserts these copies equal ../shared, so they
 * cannot drift silently. Licence: Apache-2.0, (c) the eHealth Network contributors to eu-dcc-valuesets.
 */
export const VALUE_SETS_RELEASE = '2.12.0';

/** Where {@link dccValueSetFiles} were copied from. */
export const VALUE_SETS_SOURCE = 'ehn-dcc-development/eu-dcc-valuesets@60ea3d8643b004a5b9d44a698e223775d5916916 (release 2.12.0, Apache-2.0)';

/** The files by name (as in eu-dcc-valuesets), as parsed JSON. */
export const dccValueSetFiles: Readonly<Record<string, unknown>> = {
  "country-2-codes.json": {
    "valueSetId": "country-2-codes",
    "valueSetDate": "2019-11-01",
    "valueSetValues": {
      "AD": {
        "display": "Andorra",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AE": {
        "display": "United Arab Emirates",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AF": {
        "display": "Afghanistan",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AG": {
        "display": "Antigua and Barbuda",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AI": {
        "display": "Anguilla",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AL": {
        "display": "Albania",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AM": {
        "display": "Armenia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AO": {
        "display": "Angola",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AQ": {
        "display": "Antarctica",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AR": {
        "display": "Argentina",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AS": {
        "display": "American Samoa",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AT": {
        "display": "Austria",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AU": {
        "display": "Australia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AW": {
        "display": "Aruba",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AX": {
        "display": "Åland Islands",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "AZ": {
        "display": "Azerbaijan",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BA": {
        "display": "Bosnia and Herzegovina",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BB": {
        "display": "Barbados",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BD": {
        "display": "Bangladesh",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BE": {
        "display": "Belgium",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BF": {
        "display": "Burkina Faso",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BG": {
        "display": "Bulgaria",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BH": {
        "display": "Bahrain",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BI": {
        "display": "Burundi",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BJ": {
        "display": "Benin",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BL": {
        "display": "Saint Barthélemy",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BM": {
        "display": "Bermuda",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BN": {
        "display": "Brunei Darussalam",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BO": {
        "display": "Bolivia, Plurinational State of",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BQ": {
        "display": "Bonaire, Sint Eustatius and Saba",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BR": {
        "display": "Brazil",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BS": {
        "display": "Bahamas",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BT": {
        "display": "Bhutan",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BV": {
        "display": "Bouvet Island",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BW": {
        "display": "Botswana",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BY": {
        "display": "Belarus",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "BZ": {
        "display": "Belize",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CA": {
        "display": "Canada",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CC": {
        "display": "Cocos (Keeling) Islands",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CD": {
        "display": "Congo, the Democratic Republic of the",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CF": {
        "display": "Central African Republic",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CG": {
        "display": "Congo",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CH": {
        "display": "Switzerland",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CI": {
        "display": "Côte d''Ivoire",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CK": {
        "display": "Cook Islands",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CL": {
        "display": "Chile",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CM": {
        "display": "Cameroon",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CN": {
        "display": "China",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CO": {
        "display": "Colombia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CR": {
        "display": "Costa Rica",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CU": {
        "display": "Cuba",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CV": {
        "display": "Cabo Verde",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CW": {
        "display": "Curaçao",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CX": {
        "display": "Christmas Island",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CY": {
        "display": "Cyprus",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "CZ": {
        "display": "Czechia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "DE": {
        "display": "Germany",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "DJ": {
        "display": "Djibouti",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "DK": {
        "display": "Denmark",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "DM": {
        "display": "Dominica",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "DO": {
        "display": "Dominican Republic",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "DZ": {
        "display": "Algeria",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "EC": {
        "display": "Ecuador",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "EE": {
        "display": "Estonia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "EG": {
        "display": "Egypt",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "EH": {
        "display": "Western Sahara",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "ER": {
        "display": "Eritrea",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "ES": {
        "display": "Spain",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "ET": {
        "display": "Ethiopia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "FI": {
        "display": "Finland",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "FJ": {
        "display": "Fiji",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "FK": {
        "display": "Falkland Islands (Malvinas)",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "FM": {
        "display": "Micronesia, Federated States of",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "FO": {
        "display": "Faroe Islands",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "FR": {
        "display": "France",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GA": {
        "display": "Gabon",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GB": {
        "display": "United Kingdom of Great Britain and Northern Ireland",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GD": {
        "display": "Grenada",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GE": {
        "display": "Georgia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GF": {
        "display": "French Guiana",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GG": {
        "display": "Guernsey",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GH": {
        "display": "Ghana",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GI": {
        "display": "Gibraltar",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GL": {
        "display": "Greenland",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GM": {
        "display": "Gambia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GN": {
        "display": "Guinea",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GP": {
        "display": "Guadeloupe",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GQ": {
        "display": "Equatorial Guinea",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GR": {
        "display": "Greece",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GS": {
        "display": "South Georgia and the South Sandwich Islands",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GT": {
        "display": "Guatemala",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GU": {
        "display": "Guam",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GW": {
        "display": "Guinea-Bissau",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "GY": {
        "display": "Guyana",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "HK": {
        "display": "Hong Kong",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "HM": {
        "display": "Heard Island and McDonald Islands",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "HN": {
        "display": "Honduras",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "HR": {
        "display": "Croatia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "HT": {
        "display": "Haiti",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "HU": {
        "display": "Hungary",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "ID": {
        "display": "Indonesia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "IE": {
        "display": "Ireland",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "IL": {
        "display": "Israel",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "IM": {
        "display": "Isle of Man",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "IN": {
        "display": "India",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "IO": {
        "display": "British Indian Ocean Territory",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "IQ": {
        "display": "Iraq",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "IR": {
        "display": "Iran, Islamic Republic of",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "IS": {
        "display": "Iceland",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "IT": {
        "display": "Italy",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "JE": {
        "display": "Jersey",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "JM": {
        "display": "Jamaica",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "JO": {
        "display": "Jordan",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "JP": {
        "display": "Japan",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "KE": {
        "display": "Kenya",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "KG": {
        "display": "Kyrgyzstan",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "KH": {
        "display": "Cambodia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "KI": {
        "display": "Kiribati",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "KM": {
        "display": "Comoros",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "KN": {
        "display": "Saint Kitts and Nevis",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "KP": {
        "display": "Korea, Democratic People''s Republic of",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "KR": {
        "display": "Korea, Republic of",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "KW": {
        "display": "Kuwait",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "KY": {
        "display": "Cayman Islands",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "KZ": {
        "display": "Kazakhstan",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "LA": {
        "display": "Lao People''s Democratic Republic",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "LB": {
        "display": "Lebanon",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "LC": {
        "display": "Saint Lucia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "LI": {
        "display": "Liechtenstein",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "LK": {
        "display": "Sri Lanka",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "LR": {
        "display": "Liberia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "LS": {
        "display": "Lesotho",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "LT": {
        "display": "Lithuania",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "LU": {
        "display": "Luxembourg",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "LV": {
        "display": "Latvia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "LY": {
        "display": "Libya",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MA": {
        "display": "Morocco",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MC": {
        "display": "Monaco",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MD": {
        "display": "Moldova, Republic of",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "ME": {
        "display": "Montenegro",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MF": {
        "display": "Saint Martin (French part)",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MG": {
        "display": "Madagascar",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MH": {
        "display": "Marshall Islands",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MK": {
        "display": "Macedonia, the former Yugoslav Republic of",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "ML": {
        "display": "Mali",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MM": {
        "display": "Myanmar",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MN": {
        "display": "Mongolia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MO": {
        "display": "Macao",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MP": {
        "display": "Northern Mariana Islands",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MQ": {
        "display": "Martinique",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MR": {
        "display": "Mauritania",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MS": {
        "display": "Montserrat",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MT": {
        "display": "Malta",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MU": {
        "display": "Mauritius",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MV": {
        "display": "Maldives",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MW": {
        "display": "Malawi",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MX": {
        "display": "Mexico",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MY": {
        "display": "Malaysia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "MZ": {
        "display": "Mozambique",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "NA": {
        "display": "Namibia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "NC": {
        "display": "New Caledonia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "NE": {
        "display": "Niger",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "NF": {
        "display": "Norfolk Island",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "NG": {
        "display": "Nigeria",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "NI": {
        "display": "Nicaragua",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "NL": {
        "display": "Netherlands",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "NO": {
        "display": "Norway",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "NP": {
        "display": "Nepal",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "NR": {
        "display": "Nauru",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "NU": {
        "display": "Niue",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "NZ": {
        "display": "New Zealand",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "OM": {
        "display": "Oman",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "PA": {
        "display": "Panama",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "PE": {
        "display": "Peru",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "PF": {
        "display": "French Polynesia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "PG": {
        "display": "Papua New Guinea",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "PH": {
        "display": "Philippines",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "PK": {
        "display": "Pakistan",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "PL": {
        "display": "Poland",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "PM": {
        "display": "Saint Pierre and Miquelon",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "PN": {
        "display": "Pitcairn",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "PR": {
        "display": "Puerto Rico",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "PS": {
        "display": "Palestine, State of",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "PT": {
        "display": "Portugal",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "PW": {
        "display": "Palau",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "PY": {
        "display": "Paraguay",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "QA": {
        "display": "Qatar",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "RE": {
        "display": "Réunion",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "RO": {
        "display": "Romania",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "RS": {
        "display": "Serbia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "RU": {
        "display": "Russian Federation",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "RW": {
        "display": "Rwanda",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SA": {
        "display": "Saudi Arabia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SB": {
        "display": "Solomon Islands",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SC": {
        "display": "Seychelles",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SD": {
        "display": "Sudan",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SE": {
        "display": "Sweden",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SG": {
        "display": "Singapore",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SH": {
        "display": "Saint Helena, Ascension and Tristan da Cunha",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SI": {
        "display": "Slovenia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SJ": {
        "display": "Svalbard and Jan Mayen",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SK": {
        "display": "Slovakia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SL": {
        "display": "Sierra Leone",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SM": {
        "display": "San Marino",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SN": {
        "display": "Senegal",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SO": {
        "display": "Somalia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SR": {
        "display": "Suriname",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SS": {
        "display": "South Sudan",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "ST": {
        "display": "Sao Tome and Principe",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SV": {
        "display": "El Salvador",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SX": {
        "display": "Sint Maarten (Dutch part)",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SY": {
        "display": "Syrian Arab Republic",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "SZ": {
        "display": "Swaziland",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TC": {
        "display": "Turks and Caicos Islands",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TD": {
        "display": "Chad",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TF": {
        "display": "French Southern Territories",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TG": {
        "display": "Togo",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TH": {
        "display": "Thailand",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TJ": {
        "display": "Tajikistan",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TK": {
        "display": "Tokelau",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TL": {
        "display": "Timor-Leste",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TM": {
        "display": "Turkmenistan",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TN": {
        "display": "Tunisia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TO": {
        "display": "Tonga",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TR": {
        "display": "Turkey",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TT": {
        "display": "Trinidad and Tobago",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TV": {
        "display": "Tuvalu",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TW": {
        "display": "Taiwan, Province of China",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "TZ": {
        "display": "Tanzania, United Republic of",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "UA": {
        "display": "Ukraine",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "UG": {
        "display": "Uganda",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "UM": {
        "display": "United States Minor Outlying Islands",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "US": {
        "display": "United States of America",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "UY": {
        "display": "Uruguay",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "UZ": {
        "display": "Uzbekistan",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "VA": {
        "display": "Holy See",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "VC": {
        "display": "Saint Vincent and the Grenadines",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "VE": {
        "display": "Venezuela, Bolivarian Republic of",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "VG": {
        "display": "Virgin Islands, British",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "VI": {
        "display": "Virgin Islands,",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "VN": {
        "display": "Viet Nam",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "VU": {
        "display": "Vanuatu",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "WF": {
        "display": "Wallis and Futuna",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "WS": {
        "display": "Samoa",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "YE": {
        "display": "Yemen",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "YT": {
        "display": "Mayotte",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "ZA": {
        "display": "South Africa",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "ZM": {
        "display": "Zambia",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "ZW": {
        "display": "Zimbabwe",
        "lang": "en",
        "active": true,
        "system": "urn:iso:std:iso:3166",
        "version": ""
      },
      "XK": {
        "display": "Kosovo, Republic of",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/countrycodes",
        "version": "1.4"
      }
    }
  },
  "disease-agent-targeted.json": {
    "valueSetId": "disease-agent-targeted",
    "valueSetDate": "2021-04-27",
    "valueSetValues": {
      "840539006": {
        "display": "COVID-19",
        "lang": "en",
        "active": true,
        "version": "http://snomed.info/sct/900000000000207008/version/20210131",
        "system": "http://snomed.info/sct"
      }
    }
  },
  "test-manf-example.json": {
    "valueSetId": "covid-19-lab-test-manufacturer-and-name",
    "valueSetDate": "2021-07-01",
    "valueSetValues": {
      "308": {
        "display": "PCL Inc, PCL COVID19 Ag Rapid FIA",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "344": {
        "display": "SD BIOSENSOR Inc, STANDARD F COVID-19 Ag FIA",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "345": {
        "display": "SD BIOSENSOR Inc, STANDARD Q COVID-19 Ag Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "768": {
        "display": "ArcDia International Ltd, mariPOC SARS-CoV-2",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-19"
      },
      "1065": {
        "display": "Becton Dickinson, BD Veritor™ System for Rapid Detection of SARS CoV 2",
        "lang": "en",
        "active": false,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-11"
      },
      "1097": {
        "display": "Quidel Corporation, Sofia SARS Antigen FIA",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1114": {
        "display": "Sugentech, Inc, SGTi-flex COVID-19 Ag",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1144": {
        "display": "Green Cross Medical Science Corp., GENEDIA W COVID-19 Ag",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-11"
      },
      "1162": {
        "display": "Nal von minden GmbH, NADAL COVID-19 Ag Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1173": {
        "display": "CerTest Biotec, CerTest SARS-CoV-2 Card test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1180": {
        "display": "MEDsan GmbH, MEDsan SARS-CoV-2 Antigen Rapid Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1190": {
        "display": "möLab, mö-screen Corona Antigen Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-15"
      },
      "1199": {
        "display": "Oncosem Onkolojik Sistemler San. ve Tic. A.S., CAT",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1201": {
        "display": "ScheBo Biotech AG, ScheBo SARS CoV-2 Quick Antigen",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-16"
      },
      "1215": {
        "display": "Hangzhou Laihe Biotech Co., Ltd, LYHER Novel Coronavirus (COVID-19) Antigen Test Kit(Colloidal Gold)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1218": {
        "display": "Siemens Healthineers, CLINITEST Rapid Covid-19 Antigen Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1223": {
        "display": "BIOSYNEX S.A., BIOSYNEX COVID-19 Ag BSS",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1225": {
        "display": "DDS DIAGNOSTIC, Test Rapid Covid-19 Antigen (tampon nazofaringian)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1232": {
        "display": "Abbott Rapid Diagnostics, Panbio COVID-19 Ag Rapid Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-17"
      },
      "1236": {
        "display": "BTNX Inc, Rapid Response COVID-19 Antigen Rapid Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1242": {
        "display": "Bionote, Inc, NowCheck COVID-19 Ag Test",
        "lang": "en",
        "active": false,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-11"
      },
      "1244": {
        "display": "GenBody, Inc, Genbody COVID-19 Ag Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1253": {
        "display": "GenSure Biotech Inc, GenSure COVID-19 Antigen Rapid Kit",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-14"
      },
      "1257": {
        "display": "Hangzhou AllTest Biotech Co., Ltd, COVID-19 Antigen Rapid Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-18"
      },
      "1263": {
        "display": "Humasis, Humasis COVID-19 Ag Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1266": {
        "display": "Labnovation Technologies Inc, SARS-CoV-2 Antigen Rapid Test Kit",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1267": {
        "display": "LumiQuick Diagnostics Inc, QuickProfile COVID-19 Antigen Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1268": {
        "display": "LumiraDX, LumiraDx SARS-CoV-2 Ag Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1271": {
        "display": "Precision Biosensor, Inc, Exdia COVID-19 Ag",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1278": {
        "display": "Xiamen Boson Biotech Co. Ltd, Rapid SARS-CoV-2 Antigen Test Card",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-18"
      },
      "1295": {
        "display": "Zhejiang Anji Saianfu Biotech Co., Ltd, reOpenTest COVID-19 Antigen Rapid Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1296": {
        "display": "Zhejiang Anji Saianfu Biotech Co., Ltd, AndLucky COVID-19 Antigen Rapid Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1304": {
        "display": "AMEDA Labordiagnostik GmbH, AMP Rapid Test SARS-CoV-2 Ag",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-25"
      },
      "1319": {
        "display": "SGA Medikal, V-Chek SARS-CoV-2 Ag Rapid Test Kit (Colloidal Gold)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1331": {
        "display": "Beijing Lepu Medical Technology Co., Ltd, SARS-CoV-2 Antigen Rapid Test Kit",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1333": {
        "display": "Joinstar Biomedical Technology Co., Ltd, COVID-19 Rapid Antigen Test (Colloidal Gold)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1341": {
        "display": "Qingdao Hightop Biotech Co., Ltd, SARS-CoV-2 Antigen Rapid Test (Immunochromatography)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1343": {
        "display": "Zhezhiang Orient Gene Biotech Co., Ltd, Coronavirus Ag Rapid Test Cassette (Swab)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1360": {
        "display": "Guangdong Wesail Biotech Co., Ltd, COVID-19 Ag Test Kit",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1363": {
        "display": "Hangzhou Clongene Biotech Co., Ltd, Covid-19 Antigen Rapid Test Kit",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1365": {
        "display": "Hangzhou Clongene Biotech Co., Ltd, COVID-19/Influenza A+B Antigen Combo Rapid Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1375": {
        "display": "DIALAB GmbH, DIAQUICK COVID-19 Ag Cassette",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1392": {
        "display": "Hangzhou Testsea Biotechnology Co., Ltd, COVID-19 Antigen Test Cassette",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1420": {
        "display": "NanoEntek, FREND COVID-19 Ag",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-04"
      },
      "1437": {
        "display": "Guangzhou Wondfo Biotech Co., Ltd, Wondfo 2019-nCoV Antigen Test (Lateral Flow Method)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1443": {
        "display": "Vitrosens Biotechnology Co., Ltd, RapidFor SARS-CoV-2 Rapid Ag Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1456": {
        "display": "Xiamen Wiz Biotech Co., Ltd, SARS-CoV-2 Antigen Rapid Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-19"
      },
      "1466": {
        "display": "TODA PHARMA, TODA CORONADIAG Ag",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1468": {
        "display": "ACON Laboratories, Inc, Flowflex SARS-CoV-2 Antigen rapid test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1481": {
        "display": "MP Biomedicals, Rapid SARS-CoV-2 Antigen Test Card",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-18"
      },
      "1484": {
        "display": "Beijing Wantai Biological Pharmacy Enterprise Co., Ltd, Wantai SARS-CoV-2 Ag Rapid Test (FIA)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1489": {
        "display": "Safecare Biotech (Hangzhou) Co. Ltd, COVID-19 Antigen Rapid Test Kit (Swab)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-12"
      },
      "1490": {
        "display": "Safecare Biotech (Hangzhou) Co. Ltd, Multi-Respiratory Virus Antigen Test Kit(Swab)  (Influenza A+B/ COVID-19)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1501": {
        "display": "New Gene (Hangzhou) Bioengineering Co., Ltd, COVID-19 Antigen Detection Kit",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-16"
      },
      "1574": {
        "display": "Shenzhen Zhenrui Biotechnology Co., Ltd, Zhenrui ®COVID-19 Antigen Test Cassette",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1604": {
        "display": "Roche (SD BIOSENSOR), SARS-CoV-2 Rapid Antigen Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-30"
      },
      "1606": {
        "display": "RapiGEN Inc, BIOCREDIT COVID-19 Ag - SARS-CoV 2 Antigen test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1654": {
        "display": "Asan Pharmaceutical CO., LTD, Asan Easy Test COVID-19 Ag",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1736": {
        "display": "Anhui Deep Blue Medical Technology Co., Ltd, COVID-19 (SARS-CoV-2) Antigen Test Kit(Colloidal Gold)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1747": {
        "display": "Guangdong Hecin Scientific, Inc., 2019-nCoV Antigen Test Kit (colloidal gold method)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1763": {
        "display": "Xiamen AmonMed Biotechnology Co., Ltd, COVID-19 Antigen Rapid Test Kit (Colloidal Gold)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1764": {
        "display": "JOYSBIO (Tianjin) Biotechnology Co., Ltd, SARS-CoV-2 Antigen Rapid Test Kit (Colloidal Gold)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-11"
      },
      "1767": {
        "display": "Healgen Scientific, Coronavirus Ag Rapid Test Cassette",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1769": {
        "display": "Shenzhen Watmind Medical Co., Ltd, SARS-CoV-2 Ag Diagnostic Test Kit (Colloidal Gold)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1815": {
        "display": "Anhui Deep Blue Medical Technology Co., Ltd, COVID-19 (SARS-CoV-2) Antigen Test Kit (Colloidal Gold) - Nasal Swab",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-12"
      },
      "1822": {
        "display": "Anbio (Xiamen) Biotechnology Co., Ltd, Rapid COVID-19 Antigen Test(Colloidal Gold)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1833": {
        "display": "AAZ-LMB, COVID-VIRO",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-17"
      },
      "1844": {
        "display": "Hangzhou Immuno Biotech Co.,Ltd, Immunobio SARS-CoV-2 Antigen ANTERIOR NASAL Rapid Test Kit (minimal invasive)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1870": {
        "display": "Beijing Hotgen Biotech Co., Ltd, Novel Coronavirus 2019-nCoV Antigen Test (Colloidal Gold)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1884": {
        "display": "Xiamen Wiz Biotech Co., Ltd, SARS-CoV-2 Antigen Rapid Test (Colloidal Gold)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-20"
      },
      "1906": {
        "display": "Azure Biotech Inc, COVID-19 Antigen Rapid Test Device",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-19"
      },
      "1919": {
        "display": "Core Technology Co., Ltd, Coretests COVID-19 Ag Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-10"
      },
      "1934": {
        "display": "Tody Laboratories Int., Coronavirus (SARS-CoV 2) Antigen - Oral Fluid",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-19"
      },
      "2010": {
        "display": "Atlas Link Technology Co., Ltd., NOVA Test® SARS-CoV-2 Antigen Rapid Test Kit (Colloidal Gold Immunochromatography)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-11"
      },
      "2017": {
        "display": "Shenzhen Ultra-Diagnostics Biotec.Co.,Ltd, SARS-CoV-2 Antigen Test Kit",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-19"
      },
      "2029": {
        "display": "Merlin Biomedical (Xiamen) Co., Ltd., SARS-CoV-2 Antigen Rapid Test Cassette",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-16"
      },
      "2074": {
        "display": "Triplex International Biosciences (China) Co., LTD., SARS-CoV-2 Antigen Rapid Test Kit",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-16"
      },
      "2098": {
        "display": "Wuhan EasyDiagnosis Biomedicine Co., Ltd., COVID-19 (SARS-CoV-2) Antigen Test Kit",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-01"
      },
      "2101": {
        "display": "AXIOM Gesellschaft für Diagnostica und Biochemica mbH, COVID-19 Antigen Rapid Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-03"
      },
      "2103": {
        "display": "VivaChek Biotech (Hangzhou) Co., Ltd, VivaDiag Pro SARS-CoV-2 Ag Rapid Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-31"
      },
      "2104": {
        "display": "Nal von minden GmbH, NADAL COVID -19 Ag +Influenza A/B Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-31"
      },
      "2108": {
        "display": "AESKU.DIAGNOSTICS GmbH & Co. KG, AESKU.RAPID SARS-CoV-2",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-18"
      },
      "2109": {
        "display": "Shenzhen Lvshiyuan Biotechnology Co., Ltd., Green Spring SARS-CoV-2 Antigen-Rapid test-Set",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-31"
      },
      "2116": {
        "display": "PerGrande BioTech Development Co., Ltd., SARS-CoV-2 Antigen Detection Kit (Colloidal Gold Immunochromatographic Assay)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-31"
      },
      "2128": {
        "display": "Lumigenex (Suzhou) Co., Ltd, PocRoc®SARS-CoV-2 Antigen Rapid Test Kit (Colloidal Gold)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-31"
      },
      "2130": {
        "display": "Affimedix, Inc., TestNOW® - COVID-19 Antigen Test",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-05-31"
      },
      "2139": {
        "display": "HANGZHOU LYSUN BIOTECHNOLOGY CO., LTD., COVID-19 Antigen Rapid Test Device（Colloidal Gold）",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-01"
      },
      "2183": {
        "display": "Getein Biotech, Inc., One Step Test for SARS-CoV-2 Antigen (Colloidal Gold)",
        "lang": "en",
        "active": true,
        "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
        "version": "2021-06-16"
      }
    }
  },
  "test-result.json": {
    "valueSetId": "covid-19-lab-result",
    "valueSetDate": "2021-04-27",
    "valueSetValues": {
      "260373001": {
        "display": "Detected",
        "lang": "en",
        "active": true,
        "version": "http://snomed.info/sct/900000000000207008/version/20210131",
        "system": "http://snomed.info/sct"
      },
      "260415000": {
        "display": "Not detected",
        "lang": "en",
        "active": true,
        "version": "http://snomed.info/sct/900000000000207008/version/20210131",
        "system": "http://snomed.info/sct"
      }
    }
  },
  "test-type.json": {
    "valueSetId": "covid-19-lab-test-type",
    "valueSetDate": "2021-04-27",
    "valueSetValues": {
      "LP6464-4": {
        "display": "Nucleic acid amplification with probe detection",
        "lang": "en",
        "active": true,
        "version": "2.69",
        "system": "http://loinc.org"
      },
      "LP217198-3": {
        "display": "Rapid immunoassay",
        "lang": "en",
        "active": true,
        "version": "2.69",
        "system": "http://loinc.org"
      }
    }
  },
  "vaccine-encoding-instructions.json": {
    "valueSetId": "vaccines-covid-19-encoding-instructions",
    "valueSetDate": "2023-05-05",
    "valueSetValues": {
      "Comirnaty": {
        "vaccine-code": "EU/1/20/1528",
        "vaccine-manufacturer": "ORG-100030215",
        "sct-codes": [
          "1119349007",
          "28531000087107"
        ],
        "note": "The same code should be used also for adapted Comirnaty vaccines (such as bivalent Original/Omicron BA.1 and Original/Omicron BA.4-5) unless indicated otherwise."
      },
      "Spikevax": {
        "vaccine-code": "EU/1/20/1507",
        "vaccine-manufacturer": "ORG-100031184",
        "sct-codes": [
          "1119349007",
          "28531000087107"
        ],
        "note": "Previously COVID-19 Vaccine Moderna. The same code should be used also for adapted Spikevax vaccines (such as bivalent Original/Omicron BA.1) unless indicated otherwise."
      },
      "Vaxzevria": {
        "vaccine-code": "EU/1/21/1529",
        "vaccine-manufacturer": "ORG-100001699",
        "sct-codes": [
          "28531000087107",
          "29061000087103"
        ],
        "note": "Use also for AstraZeneca covid-19 vaccines, except R-COVI, Covishield and Covid-19 (recombinant) by Fiocruz."
      },
      "Jcovden": {
        "vaccine-code": "EU/1/20/1525",
        "vaccine-manufacturer": "ORG-100001417",
        "sct-codes": [
          "28531000087107",
          "29061000087103"
        ],
        "note": "Previously known as COVID-19 Vaccine Janssen."
      },
      "CVnCoV": {
        "vaccine-code": "CVnCoV",
        "vaccine-manufacturer": "ORG-100006270",
        "sct-codes": [
          "1119349007",
          "28531000087107"
        ]
      },
      "NVX-CoV2373": {
        "vaccine-code": "NVX-CoV2373 (deprecated)",
        "vaccine-manufacturer": "ORG-100032020",
        "sct-codes": [
          "28531000087107",
          "1162643001"
        ],
        "note": "Do not use this code for new certificates, see entry for Nuvaxovid."
      },
      "Sputnik V": {
        "vaccine-code": "Sputnik-V",
        "vaccine-manufacturer": "Gamaleya-Research-Institute",
        "sct-codes": [
          "28531000087107",
          "29061000087103"
        ]
      },
      "Convidecia": {
        "vaccine-code": "Convidecia",
        "vaccine-manufacturer": "ORG-100013793",
        "sct-codes": [
          "28531000087107",
          "29061000087103"
        ]
      },
      "EpiVacCorona": {
        "vaccine-code": "EpiVacCorona",
        "vaccine-manufacturer": "Vector-Institute",
        "sct-codes": [
          "28531000087107",
          "1162643001"
        ]
      },
      "BBIBP-CorV": {
        "vaccine-code": "BBIBP-CorV",
        "vaccine-manufacturer": "ORG-100020693",
        "sct-codes": [
          "28531000087107",
          "1157024006"
        ]
      },
      "Inactivated SARS-CoV-2 (Vero Cell)": {
        "vaccine-code": "Inactivated-SARS-CoV-2-Vero-Cell",
        "vaccine-manufacturer": "ORG-100010771",
        "sct-codes": [
          "28531000087107",
          "1157024006"
        ],
        "note": "Do not use this code for new certificates, see entry for WIBP-CorV."
      },
      "CoronaVac": {
        "vaccine-code": "CoronaVac",
        "vaccine-manufacturer": "Sinovac-Biotech",
        "sct-codes": [
          "28531000087107",
          "1157024006"
        ],
        "note": "Do not use for Vacina adsorvida covid-19 (inativada) by Institito Butantan."
      },
      "Covaxin": {
        "vaccine-code": "Covaxin",
        "vaccine-manufacturer": "Bharat-Biotech",
        "sct-codes": [
          "28531000087107",
          "1157024006"
        ],
        "note": "Also known as BBV152 A, B, C."
      },
      "Covishield": {
        "vaccine-code": "Covishield",
        "vaccine-manufacturer": "ORG-100001981",
        "sct-codes": [
          "28531000087107",
          "29061000087103"
        ],
        "note": "Also known as ChAdOx1_nCoV-19."
      },
      "Covid-19 (recombinant)": {
        "vaccine-code": "Covid-19-recombinant",
        "vaccine-manufacturer": "Fiocruz",
        "sct-codes": [
          "28531000087107",
          "29061000087103"
        ]
      },
      "R-COVI": {
        "vaccine-code": "R-COVI",
        "vaccine-manufacturer": "ORG-100007893",
        "sct-codes": [
          "28531000087107",
          "29061000087103"
        ]
      },
      "CoviVac": {
        "vaccine-code": "CoviVac",
        "vaccine-manufacturer": "Chumakov-Federal-Scientific-Center",
        "sct-codes": [
          "28531000087107",
          "1157024006"
        ]
      },
      "Sputnik Light": {
        "vaccine-code": "Sputnik-Light",
        "vaccine-manufacturer": "Gamaleya-Research-Institute",
        "sct-codes": [
          "28531000087107",
          "29061000087103"
        ]
      },
      "Hayat-Vax": {
        "vaccine-code": "Hayat-Vax",
        "vaccine-manufacturer": "ORG-100023050",
        "sct-codes": [
          "28531000087107",
          "1157024006"
        ]
      },
      "Abdala": {
        "vaccine-code": "Abdala",
        "vaccine-manufacturer": "CIGB",
        "sct-codes": [
          "28531000087107"
        ],
        "note": "Also known as CIGB-66."
      },
      "WIBP-CorV": {
        "vaccine-code": "WIBP-CorV",
        "vaccine-manufacturer": "Sinopharm-WIBP",
        "sct-codes": [
          "28531000087107",
          "1157024006"
        ],
        "note": "Previously known as Inactivated SARS-CoV-2 (Vero Cell)."
      },
      "MVC COVID-19 vaccine": {
        "vaccine-code": "MVC-COV1901",
        "vaccine-manufacturer": "ORG-100033914",
        "sct-codes": [
          "28531000087107",
          "1162643001"
        ],
        "note": "Also known as Medigen COVID-19 vaccine."
      },
      "Nuvaxovid": {
        "vaccine-code": "EU/1/21/1618",
        "vaccine-manufacturer": "ORG-100032020",
        "sct-codes": [
          "28531000087107",
          "1162643001"
        ],
        "note": "Previously known as NVX-CoV2373."
      },
      "Covovax": {
        "vaccine-code": "Covovax",
        "vaccine-manufacturer": "ORG-100001981",
        "sct-codes": [
          "28531000087107",
          "1162643001"
        ],
        "note": "Do not confuse with Nuvaxovid."
      },
      "Vidprevtyn": {
        "vaccine-code": "Vidprevtyn (deprecated)",
        "vaccine-manufacturer": "ORG-100000788",
        "sct-codes": [
          "28531000087107"
        ],
        "note": "Do not use this code for new certificates, see entry for VidPrevtyn Beta."
      },
      "VLA2001": {
        "vaccine-code": "VLA2001 (deprecated)",
        "vaccine-manufacturer": "ORG-100036422",
        "sct-codes": [
          "28531000087107"
        ],
        "note": "Do not use this code for new certificates, see entry for COVID-19 Vaccine (inactivated, adjuvanted) Valneva."
      },
      "Sputnik M": {
        "vaccine-code": "Sputnik-M",
        "vaccine-manufacturer": "Gamaleya-Research-Institute",
        "sct-codes": [
          "28531000087107",
          "29061000087103"
        ],
        "note": "Do not confuse with Sputnik V or Sputnik Light."
      },
      "EpiVacCorona-N": {
        "vaccine-code": "EpiVacCorona-N",
        "vaccine-manufacturer": "Vector-Institute",
        "sct-codes": [
          "28531000087107",
          "1162643001"
        ],
        "note": "Do not confuse with EpiVacCorona. Also know as Aurora-CoV."
      },
      "Vacina adsorvida covid-19 (inativada)": {
        "vaccine-code": "Covid-19-adsorvida-inativada",
        "vaccine-manufacturer": "Instituto-Butantan",
        "sct-codes": [
          "28531000087107",
          "1157024006"
        ]
      },
      "NVSI-06-08": {
        "vaccine-code": "NVSI-06-08",
        "vaccine-manufacturer": "NVSI",
        "sct-codes": [
          "28531000087107"
        ],
        "note": "Also known as Recombinant SARS-CoV-2 vaccine (CHO Cell)."
      },
      "YS-SC2-010": {
        "vaccine-code": "YS-SC2-010",
        "vaccine-manufacturer": "Yisheng-Biopharma",
        "sct-codes": [
          "28531000087107"
        ],
        "note": "Also known as PIKA-Adjuvanted Recombinant SARS-CoV-2 Spike (S) Protein Subunit vaccine."
      },
      "SCTV01C": {
        "vaccine-code": "SCTV01C",
        "vaccine-manufacturer": "ORG-100026614",
        "sct-codes": [
          "28531000087107"
        ],
        "note": "Also known as Bivalent Recombinant Trimeric S Protein vaccine."
      },
      "Covifenz": {
        "vaccine-code": "Covifenz",
        "vaccine-manufacturer": "ORG-100008549",
        "sct-codes": [
          "28531000087107"
        ],
        "note": "Also known as CoVLP and Medicago plant-based VLP."
      },
      "AZD2816": {
        "vaccine-code": "AZD2816",
        "vaccine-manufacturer": "ORG-100001699",
        "sct-codes": [
          "28531000087107",
          "29061000087103"
        ]
      },
      "Soberana 02": {
        "vaccine-code": "Soberana-02",
        "vaccine-manufacturer": "Finlay-Institute",
        "sct-codes": [
          "28531000087107"
        ],
        "note": "Also known as FINLAY-FR-2."
      },
      "Soberana Plus": {
        "vaccine-code": "Soberana-Plus",
        "vaccine-manufacturer": "Finlay-Institute",
        "sct-codes": [
          "28531000087107"
        ],
        "note": "Also known as FINLAY-FR-1A."
      },
      "COVID-19 Vaccine Valneva": {
        "vaccine-code": "EU/1/21/1624",
        "vaccine-manufacturer": "ORG-100036422",
        "sct-codes": [
          "28531000087107"
        ],
        "note": "Previously known as VLA2001."
      },
      "VidPrevtyn Beta": {
        "vaccine-code": "EU/1/21/1580",
        "vaccine-manufacturer": "ORG-100000788",
        "sct-codes": [
          "28531000087107"
        ],
        "note": "Previously known as Vidprevtyn."
      },
      "Bimervax": {
        "vaccine-code": "EU/1/22/1709",
        "vaccine-manufacturer": "ORG-100036914",
        "sct-codes": [
          "28531000087107"
        ],
        "note": "Previously known as COVID-19 Vaccine HIPRA"
      }
    }
  },
  "vaccine-mah-manf.json": {
    "valueSetId": "vaccines-covid-19-auth-holders",
    "valueSetDate": "2022-01-26",
    "valueSetValues": {
      "ORG-100001699": {
        "display": "AstraZeneca AB",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "ORG-100030215": {
        "display": "Biontech Manufacturing GmbH",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "ORG-100001417": {
        "display": "Janssen-Cilag International",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "ORG-100031184": {
        "display": "Moderna Biotech Spain S.L.",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "ORG-100006270": {
        "display": "Curevac AG",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "ORG-100013793": {
        "display": "CanSino Biologics",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "ORG-100020693": {
        "display": "China Sinopharm International Corp. - Beijing location",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "ORG-100010771": {
        "display": "Sinopharm Weiqida Europe Pharmaceutical s.r.o. - Prague location",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "ORG-100024420": {
        "display": "Sinopharm Zhijun (Shenzhen) Pharmaceutical Co. Ltd. - Shenzhen location",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "ORG-100032020": {
        "display": "Novavax CZ a.s.",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "Gamaleya-Research-Institute": {
        "display": "Gamaleya Research Institute",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccinemanufacturer",
        "version": "1.0"
      },
      "Vector-Institute": {
        "display": "Vector Institute",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccinemanufacturer",
        "version": "1.0"
      },
      "Sinovac-Biotech": {
        "display": "Sinovac Biotech",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccinemanufacturer",
        "version": "1.0"
      },
      "Bharat-Biotech": {
        "display": "Bharat Biotech",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccinemanufacturer",
        "version": "1.0"
      },
      "ORG-100001981": {
        "display": "Serum Institute Of India Private Limited",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "Fiocruz": {
        "display": "Fiocruz",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccinemanufacturer",
        "version": "1.3"
      },
      "ORG-100007893": {
        "display": "R-Pharm CJSC",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "Chumakov-Federal-Scientific-Center": {
        "display": "Chumakov Federal Scientific Center for Research and Development of Immune-and-Biological Products",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccinemanufacturer",
        "version": "1.4"
      },
      "ORG-100023050": {
        "display": "Gulf Pharmaceutical Industries",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "CIGB": {
        "display": "Center for Genetic Engineering and Biotechnology",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccinemanufacturer",
        "version": "1.5"
      },
      "Sinopharm-WIBP": {
        "display": "Sinopharm - Wuhan Institute of Biological Products",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccinemanufacturer",
        "version": "1.5"
      },
      "ORG-100033914": {
        "display": "Medigen Vaccine Biologics Corporation",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "ORG-100000788": {
        "display": "Sanofi Pasteur",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "ORG-100036422": {
        "display": "Valneva France",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "Instituto-Butantan": {
        "display": "Instituto Butantan",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccinemanufacturer",
        "version": "1.9"
      },
      "NVSI": {
        "display": "National Vaccine and Serum Institute, China",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccinemanufacturer",
        "version": "1.9"
      },
      "Yisheng-Biopharma": {
        "display": "Yisheng Biopharma",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccinemanufacturer",
        "version": "1.9"
      },
      "ORG-100026614": {
        "display": "Sinocelltech Ltd.",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "ORG-100008549": {
        "display": "Medicago Inc.",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      },
      "Finlay-Institute": {
        "display": "Finlay Institute of Vaccines",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccinemanufacturer",
        "version": "1.10"
      },
      "ORG-100036914": {
        "display": "Hipra Human Health S.L.",
        "lang": "en",
        "active": true,
        "system": "https://spor.ema.europa.eu/v1/organisations",
        "version": ""
      }
    }
  },
  "vaccine-medicinal-product.json": {
    "valueSetId": "vaccines-covid-19-names",
    "valueSetDate": "2022-11-30",
    "valueSetValues": {
      "EU/1/20/1528": {
        "display": "Comirnaty",
        "lang": "en",
        "active": true,
        "system": "https://ec.europa.eu/health/documents/community-register/html/",
        "version": ""
      },
      "EU/1/20/1507": {
        "display": "Spikevax",
        "lang": "en",
        "active": true,
        "system": "https://ec.europa.eu/health/documents/community-register/html/",
        "version": ""
      },
      "EU/1/21/1529": {
        "display": "Vaxzevria",
        "lang": "en",
        "active": true,
        "system": "https://ec.europa.eu/health/documents/community-register/html/",
        "version": ""
      },
      "EU/1/20/1525": {
        "display": "Jcovden",
        "lang": "en",
        "active": true,
        "system": "https://ec.europa.eu/health/documents/community-register/html/",
        "version": ""
      },
      "CVnCoV": {
        "display": "CVnCoV",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.0"
      },
      "NVX-CoV2373": {
        "display": "NVX-CoV2373 (deprecated)",
        "lang": "en",
        "active": false,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.0"
      },
      "Sputnik-V": {
        "display": "Sputnik-V",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.0"
      },
      "Convidecia": {
        "display": "Convidecia",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.0"
      },
      "EpiVacCorona": {
        "display": "EpiVacCorona",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.0"
      },
      "BBIBP-CorV": {
        "display": "BBIBP-CorV",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.0"
      },
      "Inactivated-SARS-CoV-2-Vero-Cell": {
        "display": "Inactivated SARS-CoV-2 (Vero Cell) (deprecated)",
        "lang": "en",
        "active": false,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.0"
      },
      "CoronaVac": {
        "display": "CoronaVac",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.0"
      },
      "Covaxin": {
        "display": "Covaxin",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.0"
      },
      "Covishield": {
        "display": "Covishield",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.2"
      },
      "Covid-19-recombinant": {
        "display": "Covid-19 (recombinant)",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.3"
      },
      "R-COVI": {
        "display": "R-COVI",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.3"
      },
      "CoviVac": {
        "display": "CoviVac",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.4"
      },
      "Sputnik-Light": {
        "display": "Sputnik Light",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.4"
      },
      "Hayat-Vax": {
        "display": "Hayat-Vax",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.4"
      },
      "Abdala": {
        "display": "Abdala",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.5"
      },
      "WIBP-CorV": {
        "display": "WIBP-CorV",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.5"
      },
      "MVC-COV1901": {
        "display": "MVC COVID-19 vaccine",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.6"
      },
      "EU/1/21/1618": {
        "display": "Nuvaxovid",
        "lang": "en",
        "active": true,
        "system": "https://ec.europa.eu/health/documents/community-register/html/",
        "version": ""
      },
      "Covovax": {
        "display": "Covovax",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.8"
      },
      "Vidprevtyn": {
        "display": "Vidprevtyn (deprecated)",
        "lang": "en",
        "active": false,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.8"
      },
      "VLA2001": {
        "display": "VLA2001 (deprecated)",
        "lang": "en",
        "active": false,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.8"
      },
      "EpiVacCorona-N": {
        "display": "EpiVacCorona-N",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.8"
      },
      "Sputnik-M": {
        "display": "Sputnik M",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.8"
      },
      "Covid-19-adsorvida-inativada": {
        "display": "Vacina adsorvida covid-19 (inativada)",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.9"
      },
      "NVSI-06-08": {
        "display": "NVSI-06-08",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.9"
      },
      "YS-SC2-010": {
        "display": "YS-SC2-010",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.9"
      },
      "SCTV01C": {
        "display": "SCTV01C",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.9"
      },
      "Covifenz": {
        "display": "Covifenz",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.9"
      },
      "AZD2816": {
        "display": "AZD2816",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.9"
      },
      "Soberana-02": {
        "display": "Soberana 02",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.10"
      },
      "Soberana-Plus": {
        "display": "Soberana Plus",
        "lang": "en",
        "active": true,
        "system": "http://ec.europa.eu/temp/vaccineproductname",
        "version": "1.10"
      },
      "EU/1/21/1624": {
        "display": "COVID-19 Vaccine Valneva",
        "lang": "en",
        "active": true,
        "system": "https://ec.europa.eu/health/documents/community-register/html/",
        "version": ""
      },
      "EU/1/21/1580": {
        "display": "VidPrevtyn Beta",
        "lang": "en",
        "active": true,
        "system": "https://ec.europa.eu/health/documents/community-register/html/",
        "version": ""
      },
      "EU/1/22/1709": {
        "display": "Bimervax",
        "lang": "en",
        "active": true,
        "system": "https://ec.europa.eu/health/documents/community-register/html/",
        "version": ""
      }
    }
  },
  "vaccine-prophylaxis.json": {
    "valueSetId": "sct-vaccines-covid-19",
    "valueSetDate": "2023-01-25",
    "valueSetValues": {
      "1119305005": {
        "display": "SARS-CoV-2 antigen vaccine",
        "lang": "en",
        "active": true,
        "version": "http://snomed.info/sct/900000000000207008/version/20210131",
        "system": "http://snomed.info/sct"
      },
      "1119349007": {
        "display": "SARS-CoV-2 mRNA vaccine",
        "lang": "en",
        "active": true,
        "version": "http://snomed.info/sct/900000000000207008/version/20210131",
        "system": "http://snomed.info/sct"
      },
      "1157024006": {
        "display": "Inactivated whole SARS-CoV-2 antigen vaccine",
        "lang": "en",
        "active": true,
        "version": "2022-01-31",
        "system": "http://snomed.info/sct"
      },
      "1162643001": {
        "display": "SARS-CoV-2 recombinant spike protein antigen vaccine",
        "lang": "en",
        "active": true,
        "version": "2022-01-31",
        "system": "http://snomed.info/sct"
      },
      "1187593009": {
        "display": "SARS-CoV-2 DNA plasmid encoding spike protein vaccine",
        "lang": "en",
        "active": true,
        "version": "2022-12-31",
        "system": "http://snomed.info/sct"
      },
      "J07BX03": {
        "display": "covid-19 vaccines (deprecated)",
        "lang": "en",
        "active": false,
        "version": "2021-01",
        "system": "http://www.whocc.no/atc"
      },
      "29061000087103": {
        "display": "COVID-19 non-replicating viral vector vaccine",
        "lang": "en",
        "active": true,
        "version": "2022-01-31",
        "system": "http://snomed.info/sct"
      },
      "28531000087107": {
        "display": "COVID-19 vaccine",
        "lang": "en",
        "active": true,
        "version": "2022-12-31",
        "system": "http://snomed.info/sct"
      },
      "30141000087107": {
        "display": "SARS-CoV-2 virus-like particle antigen vaccine",
        "lang": "en",
        "active": true,
        "version": "2022-12-31",
        "system": "http://snomed.info/sct"
      }
    }
  }
};
