/*
 * ISO 3166-1 alpha-2 <-> alpha-3, for the UpCloud-style partner API, which
 * speaks alpha-3 ("FIN") while libacct stores alpha-2 ("FI"). Generated from
 * Debian's iso-codes (/usr/share/iso-codes/json/iso_3166-1.json, 4.15.0).
 */
#include <string.h>
#include "partner.h"

static const char table[][6] = {
	"ADAND", "AEARE", "AFAFG", "AGATG", "AIAIA", "ALALB", "AMARM", "AOAGO", "AQATA", "ARARG", "ASASM",
	"ATAUT", "AUAUS", "AWABW", "AXALA", "AZAZE", "BABIH", "BBBRB", "BDBGD", "BEBEL", "BFBFA", "BGBGR",
	"BHBHR", "BIBDI", "BJBEN", "BLBLM", "BMBMU", "BNBRN", "BOBOL", "BQBES", "BRBRA", "BSBHS", "BTBTN",
	"BVBVT", "BWBWA", "BYBLR", "BZBLZ", "CACAN", "CCCCK", "CDCOD", "CFCAF", "CGCOG", "CHCHE", "CICIV",
	"CKCOK", "CLCHL", "CMCMR", "CNCHN", "COCOL", "CRCRI", "CUCUB", "CVCPV", "CWCUW", "CXCXR", "CYCYP",
	"CZCZE", "DEDEU", "DJDJI", "DKDNK", "DMDMA", "DODOM", "DZDZA", "ECECU", "EEEST", "EGEGY", "EHESH",
	"ERERI", "ESESP", "ETETH", "FIFIN", "FJFJI", "FKFLK", "FMFSM", "FOFRO", "FRFRA", "GAGAB", "GBGBR",
	"GDGRD", "GEGEO", "GFGUF", "GGGGY", "GHGHA", "GIGIB", "GLGRL", "GMGMB", "GNGIN", "GPGLP", "GQGNQ",
	"GRGRC", "GSSGS", "GTGTM", "GUGUM", "GWGNB", "GYGUY", "HKHKG", "HMHMD", "HNHND", "HRHRV", "HTHTI",
	"HUHUN", "IDIDN", "IEIRL", "ILISR", "IMIMN", "ININD", "IOIOT", "IQIRQ", "IRIRN", "ISISL", "ITITA",
	"JEJEY", "JMJAM", "JOJOR", "JPJPN", "KEKEN", "KGKGZ", "KHKHM", "KIKIR", "KMCOM", "KNKNA", "KPPRK",
	"KRKOR", "KWKWT", "KYCYM", "KZKAZ", "LALAO", "LBLBN", "LCLCA", "LILIE", "LKLKA", "LRLBR", "LSLSO",
	"LTLTU", "LULUX", "LVLVA", "LYLBY", "MAMAR", "MCMCO", "MDMDA", "MEMNE", "MFMAF", "MGMDG", "MHMHL",
	"MKMKD", "MLMLI", "MMMMR", "MNMNG", "MOMAC", "MPMNP", "MQMTQ", "MRMRT", "MSMSR", "MTMLT", "MUMUS",
	"MVMDV", "MWMWI", "MXMEX", "MYMYS", "MZMOZ", "NANAM", "NCNCL", "NENER", "NFNFK", "NGNGA", "NINIC",
	"NLNLD", "NONOR", "NPNPL", "NRNRU", "NUNIU", "NZNZL", "OMOMN", "PAPAN", "PEPER", "PFPYF", "PGPNG",
	"PHPHL", "PKPAK", "PLPOL", "PMSPM", "PNPCN", "PRPRI", "PSPSE", "PTPRT", "PWPLW", "PYPRY", "QAQAT",
	"REREU", "ROROU", "RSSRB", "RURUS", "RWRWA", "SASAU", "SBSLB", "SCSYC", "SDSDN", "SESWE", "SGSGP",
	"SHSHN", "SISVN", "SJSJM", "SKSVK", "SLSLE", "SMSMR", "SNSEN", "SOSOM", "SRSUR", "SSSSD", "STSTP",
	"SVSLV", "SXSXM", "SYSYR", "SZSWZ", "TCTCA", "TDTCD", "TFATF", "TGTGO", "THTHA", "TJTJK", "TKTKL",
	"TLTLS", "TMTKM", "TNTUN", "TOTON", "TRTUR", "TTTTO", "TVTUV", "TWTWN", "TZTZA", "UAUKR", "UGUGA",
	"UMUMI", "USUSA", "UYURY", "UZUZB", "VAVAT", "VCVCT", "VEVEN", "VGVGB", "VIVIR", "VNVNM", "VUVUT",
	"WFWLF", "WSWSM", "YEYEM", "YTMYT", "ZAZAF", "ZMZMB", "ZWZWE",
};

const char *country_alpha3(const char *alpha2)
{
	for (size_t i = 0; alpha2 != NULL && i < sizeof table / sizeof table[0]; i++)
		if (strncmp(table[i], alpha2, 2) == 0 && alpha2[2] == '\0')
			return table[i] + 2;
	return NULL;
}

int country_alpha2(char out[3], const char *alpha3)
{
	for (size_t i = 0; alpha3 != NULL && i < sizeof table / sizeof table[0]; i++) {
		if (strcmp(table[i] + 2, alpha3) == 0) {
			memcpy(out, table[i], 2);
			out[2] = '\0';
			return 0;
		}
	}
	return -1;
}
